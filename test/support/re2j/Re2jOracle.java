// The RE2/J oracle for the subscribedTopicRegex tests: Kafka 4.1 compiles a member's regex with
// com.google.re2j.Pattern.compile and resolves it with Matcher.matches() (the whole topic name).
// Input on stdin, one item a line, base64 (UTF-8): the first line is the topic names, comma
// separated; every further line a pattern. Output, one line per pattern: "ERR <description>" (what
// Kafka puts in its INVALID_REGULAR_EXPRESSION message) or "OK <the matching topics, comma separated>".
// Run with Java's source launcher: java -cp re2j-1.8.jar Re2jOracle.java
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

public class Re2jOracle {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String first = in.readLine();
    if (first == null) return;
    String[] topics = decode(first).split(",");
    StringBuilder out = new StringBuilder();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String source = decode(line);
      try {
        Pattern p = Pattern.compile(source);
        List<String> matched = new ArrayList<>();
        for (String t : topics) if (p.matcher(t).matches()) matched.add(t);
        out.append("OK ").append(String.join(",", matched)).append('\n');
      } catch (PatternSyntaxException e) {
        out.append("ERR ").append(e.getDescription()).append('\n');
      }
    }
    System.out.print(out);
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
