package com.retrainconsole.telemetry;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.retrainconsole.common.UserException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;

/**
 * A site's own collection with one document per reading, read through a {@link DeviceConfig.Source}
 * mapping: documents with {@code device_field == device_value}, time in {@code ts_field} (a BSON
 * date, or a number of epoch millis — seconds when below 1e11), numeric top-level fields renamed
 * site → canonical. Fields outside the mapping are not read; non-numeric or missing values read as
 * NaN; a reading without a usable time is skipped; of two readings with the same time the first
 * read is kept.
 */
public final class MappedCollectionSource implements TelemetrySource {
  private static final int READ_BATCH_SIZE = 5000;
  private static final long SECONDS_BELOW = 100_000_000_000L;

  private final MongoCollection<Document> collection;
  private final DeviceConfig.Source source;

  public MappedCollectionSource(MongoCollection<Document> collection, DeviceConfig.Source source) {
    if (source.isBuckets()) {
      throw new IllegalArgumentException("a bucket source is read by BucketTelemetryStore");
    }
    this.collection = collection;
    this.source = source;
  }

  @Override
  public TelemetryWindow read(String deviceId, Instant from, Instant to) {
    Columns columns = new Columns();
    Optional<TimeKind> kind = timeKind();
    if (kind.isPresent() && from.isBefore(to)) {
      Object lo = kind.get().stored(from);
      Object hi = kind.get().stored(to);
      Document filter =
          deviceFilter().append(source.tsField(), new Document("$gte", lo).append("$lt", hi));
      ReadingAppender appender =
          new ReadingAppender(
              source.tsField(), source.fields(), columns, kind.get() == TimeKind.SECONDS);
      MongoCollection<Appended> typed =
          collection
              .withCodecRegistry(
                  CodecRegistries.fromRegistries(
                      CodecRegistries.fromCodecs(appender), collection.getCodecRegistry()))
              .withDocumentClass(Appended.class);
      try (MongoCursor<Appended> cursor =
          typed.find(filter).projection(projection()).batchSize(READ_BATCH_SIZE).iterator()) {
        while (cursor.hasNext()) {
          cursor.next();
        }
      }
    }
    // every mapped field is present in the window, even if no reading had it
    TelemetryWindow w = columns.toWindow(deviceId);
    Map<String, double[]> out = new java.util.LinkedHashMap<>(w.columns());
    for (String canonical : source.fields().values()) {
      out.computeIfAbsent(
          canonical,
          f -> {
            double[] nan = new double[w.size()];
            java.util.Arrays.fill(nan, Double.NaN);
            return nan;
          });
    }
    return new TelemetryWindow(deviceId, w.ts(), out);
  }

  @Override
  public Optional<Instant> newest(String deviceId) {
    return edge(-1);
  }

  @Override
  public Optional<Instant> oldest(String deviceId) {
    return edge(1);
  }

  private Optional<Instant> edge(int direction) {
    Document d =
        collection
            .find(deviceFilter().append(source.tsField(), new Document("$ne", null)))
            .sort(new Document(source.tsField(), direction))
            .projection(new Document(source.tsField(), 1).append("_id", 0))
            .limit(1)
            .first();
    return d == null ? Optional.empty() : Optional.ofNullable(toInstant(d.get(source.tsField())));
  }

  /** How the collection stores times: BSON dates, epoch millis or epoch seconds. */
  private enum TimeKind {
    DATE,
    MILLIS,
    SECONDS;

    Object stored(Instant t) {
      return switch (this) {
        case DATE -> Date.from(t);
        case MILLIS -> t.toEpochMilli();
        case SECONDS -> Math.floorDiv(t.toEpochMilli(), 1000);
      };
    }
  }

  /** Judged from one reading of the device (empty when it has none). */
  private Optional<TimeKind> timeKind() {
    Document sample =
        collection
            .find(deviceFilter().append(source.tsField(), new Document("$ne", null)))
            .projection(new Document(source.tsField(), 1).append("_id", 0))
            .limit(1)
            .first();
    if (sample == null) {
      return Optional.empty();
    }
    Object t = sample.get(source.tsField());
    if (t instanceof Date) {
      return Optional.of(TimeKind.DATE);
    }
    if (t instanceof Number n) {
      return Optional.of(
          Math.abs(n.doubleValue()) < SECONDS_BELOW ? TimeKind.SECONDS : TimeKind.MILLIS);
    }
    throw new UserException(
        "Collection '"
            + source.collection()
            + "' keeps time in '"
            + source.tsField()
            + "' as "
            + t.getClass().getSimpleName()
            + " (e.g. "
            + t
            + "); it must be a date or epoch millis/seconds."
            + " Import the data with import-csv instead, or convert the field to a date.");
  }

  private Instant toInstant(Object t) {
    if (t instanceof Date d) {
      return d.toInstant();
    }
    if (t instanceof Number n) {
      long v = n.longValue();
      return Instant.ofEpochMilli(Math.abs(n.doubleValue()) < SECONDS_BELOW ? v * 1000 : v);
    }
    return null;
  }

  private Document deviceFilter() {
    return deviceFilter(source.deviceField(), source.deviceValue());
  }

  /**
   * Documents whose {@code field} holds {@code value}. decision: sites store device ids as strings or
   * numbers; match either spelling of the configured value.
   */
  public static Document deviceFilter(String field, String value) {
    try {
      long asNumber = Long.parseLong(value);
      return new Document(field, new Document("$in", List.of(value, asNumber, (int) asNumber)));
    } catch (NumberFormatException e) {
      return new Document(field, value);
    }
  }

  private Document projection() {
    Document p = new Document("_id", 0).append(source.tsField(), 1);
    for (String site : source.fields().keySet()) {
      p.append(site, 1);
    }
    return p;
  }

  /** Marker returned per decoded reading; the values went into the shared columns. */
  enum Appended {
    ROW
  }

  /** Decodes each reading straight into primitive columns (no Document per reading). */
  private static final class ReadingAppender implements Codec<Appended> {
    private final String tsField;
    private final Map<String, String> fields;
    private final Columns columns;
    private final boolean seconds;

    ReadingAppender(String tsField, Map<String, String> fields, Columns columns, boolean seconds) {
      this.tsField = tsField;
      this.fields = fields;
      this.columns = columns;
      this.seconds = seconds;
    }

    @Override
    public Appended decode(BsonReader reader, DecoderContext context) {
      int start = columns.size();
      int row = columns.addRow(Long.MIN_VALUE);
      long ts = Long.MIN_VALUE;
      reader.readStartDocument();
      while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
        String name = reader.readName();
        BsonType type = reader.getCurrentBsonType();
        if (name.equals(tsField)) {
          ts =
              switch (type) {
                case DATE_TIME -> reader.readDateTime();
                case INT64 -> scale(reader.readInt64());
                case INT32 -> scale(reader.readInt32());
                case DOUBLE -> scale((long) reader.readDouble());
                default -> {
                  reader.skipValue();
                  yield Long.MIN_VALUE;
                }
              };
          continue;
        }
        String canonical = fields.get(name);
        double value =
            switch (type) {
              case DOUBLE -> reader.readDouble();
              case INT32 -> reader.readInt32();
              case INT64 -> reader.readInt64();
              case DECIMAL128 -> reader.readDecimal128().doubleValue();
              default -> {
                reader.skipValue();
                yield Double.NaN;
              }
            };
        if (canonical != null) {
          columns.set(row, canonical, Double.isFinite(value) ? value : Double.NaN);
        }
      }
      reader.readEndDocument();
      if (ts == Long.MIN_VALUE) {
        columns.truncate(start);
      } else {
        columns.setTs(row, ts);
      }
      return Appended.ROW;
    }

    private long scale(long v) {
      return seconds ? v * 1000 : v;
    }

    @Override
    public void encode(BsonWriter writer, Appended value, EncoderContext context) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public Class<Appended> getEncoderClass() {
      return Appended.class;
    }
  }
}
