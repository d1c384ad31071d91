// The codec oracle: Apache Kafka's own generated message classes, driven by JSON lines on stdin.
//
// One request per line, one answer per line, in order:
//   {"op":"info","message":"MetadataRequest"}                 -> {"ok":true,"low":0,"high":12}
//   {"op":"encode","message":"MetadataRequest","version":12,"json":{...}}
//                                                             -> {"ok":true,"hex":"..."}
//   {"op":"decode","message":"MetadataRequest","version":12,"hex":"..."}
//                                                             -> {"ok":true,"hex":"<written again>","json":{...}}
// Any failure answers {"ok":false,"error":"..."} and the loop goes on. An "id" member is echoed back.
//
// Everything goes through reflection over org.apache.kafka.common.message.<Name>Data and
// <Name>DataJsonConverter, so the same class file runs against any kafka-clients jar (3.9 and 4.x).
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;

public final class KafkaOracle {
  private static final String PKG = "org.apache.kafka.common.message.";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The reflective handles of one message class, looked up once. */
  private static final class Handles {
    final Class<?> data;
    final Constructor<?> parse;
    final Method fromJson;
    final Method toJson;
    final short low;
    final short high;

    Handles(String name) throws ReflectiveOperationException {
      data = messageClass(name);
      Class<?> converter = Class.forName(data.getName() + "JsonConverter");
      parse = data.getConstructor(Readable.class, short.class);
      fromJson = converter.getMethod("read", JsonNode.class, short.class);
      toJson = converter.getMethod("write", data, short.class);
      low = data.getField("LOWEST_SUPPORTED_VERSION").getShort(null);
      high = data.getField("HIGHEST_SUPPORTED_VERSION").getShort(null);
    }
  }

  /** Requests, responses and headers are generated as {@code <Name>Data}; "data" messages keep their name. */
  private static Class<?> messageClass(String name) throws ClassNotFoundException {
    try {
      return Class.forName(PKG + name + "Data");
    } catch (ClassNotFoundException e) {
      return Class.forName(PKG + name);
    }
  }

  private static final Map<String, Handles> HANDLES = new HashMap<>();

  private static Handles handles(String name) throws ReflectiveOperationException {
    Handles h = HANDLES.get(name);
    if (h == null) {
      h = new Handles(name);
      HANDLES.put(name, h);
    }
    return h;
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      ObjectNode answer = MAPPER.createObjectNode();
      try {
        JsonNode req = MAPPER.readTree(line);
        if (req.has("id")) answer.set("id", req.get("id"));
        answer(req, answer);
      } catch (Throwable t) {
        answer.remove("json");
        answer.remove("hex");
        answer.put("ok", false);
        answer.put("error", describe(t));
      }
      out.write(MAPPER.writeValueAsString(answer));
      out.write('\n');
      // Flush when nothing more is waiting, so an interactive caller sees its answer at once
      // while a large batch still goes out in big writes.
      if (!in.ready()) out.flush();
    }
    out.flush();
  }

  private static void answer(JsonNode req, ObjectNode answer) throws Exception {
    String op = req.path("op").asText();
    Handles h = handles(req.path("message").asText());
    short version = (short) req.path("version").asInt(-1);
    switch (op) {
      case "info":
        answer.put("ok", true);
        answer.put("low", h.low);
        answer.put("high", h.high);
        break;
      case "encode": {
        Message data = (Message) h.fromJson.invoke(null, req.get("json"), version);
        answer.put("ok", true);
        answer.put("hex", hex(serialize(data, version)));
        break;
      }
      case "decode": {
        // Answers the JSON of the parsed message and its bytes written again: the second shows
        // whether Kafka keeps unknown tagged fields, which its JSON has no place for.
        ByteBuffer buf = ByteBuffer.wrap(unhex(req.path("hex").asText()));
        Message data = (Message) h.parse.newInstance(new ByteBufferAccessor(buf), version);
        if (buf.hasRemaining()) throw new IllegalStateException(buf.remaining() + " bytes left after parsing");
        answer.put("ok", true);
        // hex before json: the test reads this line without a JSON parser when it can (see oracle-process.ts)
        answer.put("hex", hex(serialize(data, version)));
        answer.set("json", (JsonNode) h.toJson.invoke(null, data, version));
        break;
      }
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private static byte[] serialize(Message data, short version) {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int size = data.size(cache, version);
    ByteBuffer buf = ByteBuffer.allocate(size);
    data.write(new ByteBufferAccessor(buf), cache, version);
    if (buf.position() != size) throw new IllegalStateException("wrote " + buf.position() + " bytes, size() said " + size);
    return buf.array();
  }

  private static String describe(Throwable t) {
    while ((t instanceof InvocationTargetException || t.getCause() != null && t instanceof ReflectiveOperationException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getName() + ": " + t.getMessage();
  }

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 15];
      out[2 * i + 1] = DIGITS[bytes[i] & 15];
    }
    return new String(out);
  }

  private static byte[] unhex(String s) {
    if (s.length() % 2 != 0) throw new IllegalArgumentException("odd hex length");
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
