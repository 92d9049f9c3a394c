package com.retrainconsole.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link MongoDatabase} whose calls go to whatever database the store's current client has, and whose
 * {@link MongoCollection}s (and {@code with…} variants) do the same: services keep the collections they took
 * at start for the life of the process, and a store that follows its data folder to a new server (or takes
 * the file over) replaces its client underneath them.
 *
 * <p>decision: dynamic proxies rather than hand-written delegates of the two driver interfaces (about 150
 * methods that change with each driver release). Only handles are re-resolved; an iterable or cursor
 * already obtained stays on the client it came from, so an operation caught mid-switch fails once and the
 * caller's next one goes to the new server.
 */
final class FollowingHandles {
  private FollowingHandles() {}

  /** @param current the current client's database (read on every call: keep it cheap) */
  static MongoDatabase database(Supplier<MongoDatabase> current) {
    return (MongoDatabase) handle(MongoDatabase.class, current, Function.identity());
  }

  private static Object handle(Class<?> type, Supplier<?> parent, Function<Object, Object> derive) {
    Handler handler = new Handler(parent, derive);
    handler.target(); // now, so a bad argument (a collection name) fails where it is given, as without a handle
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static final class Handler implements InvocationHandler {
    private record Resolved(Object from, Object target) {}

    private final Supplier<?> parent;
    private final Function<Object, Object> derive;
    private volatile Resolved resolved;

    Handler(Supplier<?> parent, Function<Object, Object> derive) {
      this.parent = parent;
      this.derive = derive;
    }

    /** This handle's driver object for the parent's current one, derived again only when that changed. */
    Object target() {
      Object from = parent.get();
      Resolved r = resolved;
      if (r == null || r.from() != from) {
        r = new Resolved(from, derive.apply(from));
        resolved = r;
      }
      return r.target();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "following " + target();
        };
      }
      Class<?> returns = method.getReturnType();
      if (returns == MongoCollection.class || returns == MongoDatabase.class) {
        return handle(returns, this::target, t -> call(method, t, args));
      }
      try {
        return method.invoke(target(), args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private static Object call(Method method, Object target, Object[] args) {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
