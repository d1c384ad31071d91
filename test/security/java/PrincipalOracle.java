// What Apache Kafka's own classes say, for test/security/principal-mapping.test.ts: one request per
// line on stdin, one answer per line on stdout.
//   map <TAB> rules <TAB> dn   -> the principal name SslPrincipalMapper gives, "NO_MATCH", or
//                                 "ERROR <TAB> message" (a rule Kafka refuses, a bad replacement)
//   dn <TAB> pem-file          -> the certificate subject as X500Principal.getName() (RFC 2253)
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

public class PrincipalOracle {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.split("\t", -1);
      String answer;
      try {
        if (f[0].equals("map")) {
          answer = SslPrincipalMapper.fromRules(f[1]).getName(f[2]);
        } else {
          try (FileInputStream pem = new FileInputStream(f[1])) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
            answer = c.getSubjectX500Principal().getName();
          }
        }
      } catch (SslPrincipalMapper.NoMatchingRule e) {
        answer = "NO_MATCH";
      } catch (Exception e) {
        answer = "ERROR\t" + e.getMessage();
      }
      System.out.println(answer.replace("\n", "\\n"));
    }
  }
}
