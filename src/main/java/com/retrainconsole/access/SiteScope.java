package com.retrainconsole.access;

import java.util.Set;
import java.util.TreeSet;

/**
 * The sites an actor may see: every site (a fleet-wide role) or a named set. Reads are filtered by it, and
 * a device outside it is reported as not found rather than forbidden, so its existence does not leak.
 */
public record SiteScope(boolean all, Set<String> sites) {
  public static final SiteScope ALL = new SiteScope(true, Set.of());

  public SiteScope {
    sites = all ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(sites));
  }

  public static SiteScope of(Set<String> sites) {
    return new SiteScope(false, sites);
  }

  public boolean contains(String site) {
    return all || sites.contains(site);
  }

  /** "all sites" or "sites north, south": for messages. */
  public String describe() {
    return all ? "all sites" : sites.isEmpty() ? "no site" : "sites " + String.join(", ", sites);
  }
}
