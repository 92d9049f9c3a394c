package com.retrainconsole.telemetry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;

/**
 * Encodes and decodes bucket documents straight between BSON and primitive arrays. decision: the
 * default Document codec would box every reading (a List of Long and one of Double per field); at a
 * million readings that boxing dominated the read time.
 */
final class BucketCodec implements Codec<Bucket> {
  @Override
  public void encode(BsonWriter writer, Bucket bucket, EncoderContext context) {
    writer.writeStartDocument();
    writer.writeString("_id", bucket.id());
    writer.writeString("device_id", bucket.deviceId());
    writer.writeDateTime("hour", bucket.hour());
    writer.writeInt32("n", bucket.ts().length);
    writer.writeStartArray("ts");
    for (long t : bucket.ts()) {
      writer.writeInt64(t);
    }
    writer.writeEndArray();
    writer.writeStartDocument("v");
    for (Map.Entry<String, double[]> e : bucket.values().entrySet()) {
      writer.writeStartArray(e.getKey());
      for (double value : e.getValue()) {
        // decision: missing values are stored as null (NaN is legal BSON but reads badly in JSON
        // tools)
        if (Double.isNaN(value)) {
          writer.writeNull();
        } else {
          writer.writeDouble(value);
        }
      }
      writer.writeEndArray();
    }
    writer.writeEndDocument();
    writer.writeEndDocument();
  }

  @Override
  public Bucket decode(BsonReader reader, DecoderContext context) {
    String id = null;
    String deviceId = null;
    long hour = Long.MIN_VALUE;
    long[] ts = new long[0];
    Map<String, double[]> values = new LinkedHashMap<>();
    reader.readStartDocument();
    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
      String name = reader.readName();
      switch (name) {
        case "_id" -> id = reader.readString();
        case "device_id" -> deviceId = reader.readString();
        case "hour" -> hour = reader.readDateTime();
        case "ts" -> ts = readLongs(reader);
        case "v" -> {
          reader.readStartDocument();
          while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String field = reader.readName();
            values.put(field, readDoubles(reader));
          }
          reader.readEndDocument();
        }
        default -> reader.skipValue();
      }
    }
    reader.readEndDocument();
    return new Bucket(id, deviceId, hour, ts, values);
  }

  private static long[] readLongs(BsonReader reader) {
    long[] out = new long[16];
    int n = 0;
    reader.readStartArray();
    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] =
          switch (reader.getCurrentBsonType()) {
            case INT64 -> reader.readInt64();
            case INT32 -> reader.readInt32();
            case DATE_TIME -> reader.readDateTime();
            case DOUBLE -> (long) reader.readDouble();
            default ->
                throw new IllegalStateException(
                    "telemetry bucket has a non-numeric timestamp: " + reader.getCurrentBsonType());
          };
    }
    reader.readEndArray();
    return Arrays.copyOf(out, n);
  }

  private static double[] readDoubles(BsonReader reader) {
    double[] out = new double[16];
    int n = 0;
    reader.readStartArray();
    while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] =
          switch (reader.getCurrentBsonType()) {
            case DOUBLE -> reader.readDouble();
            case INT32 -> reader.readInt32();
            case INT64 -> reader.readInt64();
            default -> {
              reader.skipValue();
              yield Double.NaN;
            }
          };
    }
    reader.readEndArray();
    return Arrays.copyOf(out, n);
  }

  @Override
  public Class<Bucket> getEncoderClass() {
    return Bucket.class;
  }
}
