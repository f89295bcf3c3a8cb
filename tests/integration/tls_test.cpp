// TLS with Flink's security.ssl.* keys on real processes: a jobmanager and
// taskmanagers that speak mutually authenticated TLS to each other (RPC and
// data) and HTTPS to REST clients, WordCount exact across them, the CLI over
// https://; and everything the cluster must refuse, each with one log line
// or error naming the peer: plain HTTP, a server certificate of another
// authority, a taskmanager of another authority or without TLS, an expired
// certificate, a REST client without a certificate when one is required.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <httplib.h>

#include "support/local_cluster.hpp"
#include "support/test_certificates.hpp"
#include "support/wait.hpp"
#include "support/word_reference.hpp"
#include "util/local_address.hpp"

using namespace flinkcpp::testing;

namespace {

/// Key material of one cluster's authority, and of a stranger's.
struct tls_keys {
  temp_dir dir;
  test_authority authority{"cluster CA"};
  test_authority stranger{"stranger CA"};
  std::string ca = dir.file("ca.pem");
  std::string stranger_ca = dir.file("stranger-ca.pem");
  std::string node = dir.file("node.pem");
  std::string foreign = dir.file("foreign.pem");
  std::string expired = dir.file("expired.pem");

  tls_keys() {
    authority.write_truststore(ca);
    stranger.write_truststore(stranger_ca);
    authority.issue_pem(node);
    stranger.issue_pem(foreign);
    authority.issue_pem(expired, {"localhost", -10, -1});
  }

  /// Internal TLS and HTTPS, both with `node` and `ca`.
  std::vector<std::string> properties() const {
    return {"security.ssl.internal.enabled=true",     "security.ssl.internal.keystore=" + node,
            "security.ssl.internal.truststore=" + ca, "security.ssl.rest.enabled=true",
            "security.ssl.rest.keystore=" + node,     "security.ssl.rest.truststore=" + ca};
  }
};

/// A jobmanager and a taskmanager with internal TLS and HTTPS.
struct tls_cluster_fixture : tls_keys {
  local_cluster cluster{properties()};

  tls_cluster_fixture() {
    cluster.use_https(ca);
    cluster.start_jobmanager();
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  }

  std::string https_address() const { return "https://" + cluster.rest_address(); }

  std::string log_of(const std::string& name) const { return read_file(cluster.dir().file(name)); }

  bool logged(const std::string& name, const std::string& text) const {
    return wait_until([&] { return log_of(name).find(text) != std::string::npos; },
                      std::chrono::seconds{30}, std::chrono::milliseconds{20});
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(tls, tls_cluster_fixture)

BOOST_AUTO_TEST_CASE(wordcount_is_exact_across_taskmanagers_over_tls_and_the_cli_speaks_https) {
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  std::string text;
  for (int i = 0; i < 2000; ++i)
    text += "tls word" + std::to_string(i % 97) + " stream " + std::to_string(i % 13) + "\n";
  auto input = cluster.dir().file("in.txt");
  write_file(input, text);
  auto output = cluster.dir().file("out");
  auto r = run_flink_cpp({"run", "-m", https_address(), "-D", "security.ssl.rest.truststore=" + ca,
                          "-p", "4", "wordcount", "--input", input, "--output", output});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST((final_counts(output) == reference_word_counts(text)));
  // With security.ssl.rest.enabled the CLI speaks HTTPS to HOST:PORT too,
  // checking that the certificate names the host (localhost is in it).
  auto port = cluster.rest_address().substr(cluster.rest_address().rfind(':') + 1);
  auto list =
    run_flink_cpp({"list", "-a", "-m", "localhost:" + port, "-D", "security.ssl.rest.enabled=true",
                   "-D", "security.ssl.rest.truststore=" + ca});
  BOOST_TEST(list.exit_code == 0, list.err);
  BOOST_TEST(list.out.find("FINISHED") != std::string::npos, list.out);
  auto check =
    run_flink_cpp({"check", "-m", https_address(), "-D", "security.ssl.rest.truststore=" + ca,
                   "--taskmanagers", "2", "--slots", "4", "--timeout", "0"});
  BOOST_TEST(check.exit_code == 0, check.err);
}

BOOST_AUTO_TEST_CASE(plain_http_and_an_untrusted_server_are_refused_saying_why) {
  httplib::Client plain{"http://" + cluster.rest_address()};
  plain.set_connection_timeout(std::chrono::seconds{2});
  plain.set_read_timeout(std::chrono::seconds{5});
  BOOST_TEST(!plain.Get("/overview"));
  BOOST_TEST(logged("jobmanager.log", "REST TLS refused the connection from 127.0.0.1:"));
  BOOST_TEST(logged("jobmanager.log", "it sent plain HTTP (this port speaks HTTPS)"));

  auto untrusted = run_flink_cpp(
    {"list", "-m", https_address(), "-D", "security.ssl.rest.truststore=" + stranger_ca});
  BOOST_TEST(untrusted.exit_code == 1);
  BOOST_TEST(untrusted.err.find("cannot reach the jobmanager at " + https_address() + ": " +
                                cluster.rest_address() +
                                " refused the TLS connection: its certificate is not accepted "
                                "here: self-signed certificate in certificate chain (checked "
                                "against security.ssl.rest.truststore)") != std::string::npos,
             untrusted.err);
  auto wrong_scheme = run_flink_cpp(
    {"list", "-m", "http://" + cluster.rest_address(), "-D", "security.ssl.rest.enabled=true"});
  BOOST_TEST(wrong_scheme.exit_code == 1);
  BOOST_TEST(wrong_scheme.err.find("the REST API speaks HTTPS") != std::string::npos,
             wrong_scheme.err);
}

BOOST_AUTO_TEST_CASE(taskmanagers_the_cluster_cannot_trust_are_refused_and_it_keeps_serving) {
  auto intruder = cluster.start_taskmanager(1, {"security.ssl.internal.keystore=" + foreign});
  auto plain = cluster.start_taskmanager(1, {"security.ssl.internal.enabled=false"});
  BOOST_TEST(logged("taskmanager-" + std::to_string(intruder) + ".log",
                    "refused the TLS connection: it refused this process's certificate"));
  BOOST_TEST(logged("taskmanager-" + std::to_string(plain) + ".log",
                    "the peer closed the handshake: does it expect TLS, "
                    "security.ssl.internal.enabled?"));
  auto [status, overview] = cluster.get("/overview");
  BOOST_TEST(status == 200);
  BOOST_TEST(overview["taskmanagers"] == 1);
  auto expired_start =
    run_flink_cpp(cluster.arguments("taskmanager", {"security.ssl.internal.keystore=" + expired}));
  BOOST_TEST(expired_start.exit_code == 1);
  BOOST_TEST(expired_start.err.find("error: security.ssl.internal.keystore: " + expired +
                                    " holds a certificate (CN=localhost,O=flink-cpp tests) that "
                                    "expired on 20") == 0u,
             expired_start.err);
}

BOOST_AUTO_TEST_CASE(refused_handshakes_during_a_running_job_leave_other_connections_alone) {
  auto r = run_flink_cpp({"run", "-m", https_address(), "-D", "security.ssl.rest.truststore=" + ca,
                          "-d", "-p", "2", "-D", "execution.checkpointing.interval=100ms", "-D",
                          "execution.checkpointing.dir=" + cluster.dir().file("checkpoints"),
                          FLINKCPP_ENDLESS_JOB, "--output", cluster.dir().file("numbers")});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto job = submitted_job_id(r);
  auto completed = [&] {
    return cluster.get("/jobs/" + job + "/checkpoints").second["counts"].value("completed", 0);
  };
  BOOST_REQUIRE(wait_until([&] { return completed() >= 2; }));
  // A TCP connection closed at once (a port scan, a Kubernetes tcpSocket
  // probe) and plain text, at the taskmanager's data port and the
  // jobmanager's RPC port: each handshake fails on the I/O thread that
  // carries the job's connections.
  auto [status, taskmanagers] = cluster.get("/taskmanagers");
  BOOST_REQUIRE(status == 200);
  std::vector<int> ports{taskmanagers["taskmanagers"][0]["dataPort"].get<int>()};
  for (const auto& p : cluster.properties())
    if (p.rfind("jobmanager.rpc.port=", 0) == 0)
      ports.push_back(std::stoi(p.substr(p.find('=') + 1)));
  BOOST_REQUIRE(ports.size() == 2u);
  for (int round = 0; round < 3; ++round)
    for (int port : ports) {
      httplib::Client stray{"127.0.0.1", port};
      stray.set_connection_timeout(std::chrono::seconds{2});
      stray.set_read_timeout(std::chrono::seconds{2});
      BOOST_TEST(!stray.Get("/")); // plain text: the handshake fails
      BOOST_TEST(flinkcpp::accepts_connections("127.0.0.1", static_cast<std::uint16_t>(port),
                                               std::chrono::seconds{2})
                   .ok());
    }
  auto after = completed();
  BOOST_TEST(wait_until([&] { return completed() >= after + 5; }));
  auto [jstatus, details] = cluster.get("/jobs/" + job);
  BOOST_TEST(details.value("state", std::string{}) == "RUNNING");
  BOOST_TEST(details["timestamps"].value("RESTARTING", std::int64_t{0}) == 0,
             log_of("jobmanager.log"));
  BOOST_TEST(log_of("jobmanager.log").find("is lost") == std::string::npos,
             log_of("jobmanager.log"));
  BOOST_TEST(run_flink_cpp(
               {"cancel", "-m", https_address(), "-D", "security.ssl.rest.truststore=" + ca, job})
               .exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(tls_client_authentication, tls_keys)

BOOST_AUTO_TEST_CASE(rest_clients_must_present_a_trusted_certificate_when_required) {
  auto props = properties();
  props.push_back("security.ssl.rest.authentication-enabled=true");
  local_cluster cluster{props};
  cluster.use_https(ca, node);
  cluster.start_jobmanager();
  auto address = "https://" + cluster.rest_address();
  BOOST_REQUIRE(wait_until([&] { return cluster.get("/overview").first == 200; }));
  auto without = run_flink_cpp({"list", "-m", address, "-D", "security.ssl.rest.truststore=" + ca});
  BOOST_TEST(without.exit_code == 1);
  BOOST_TEST(read_file(cluster.dir().file("jobmanager.log"))
               .find("it presented no certificate, which this server requires") !=
             std::string::npos);
  auto with = run_flink_cpp({"list", "-m", address, "-D", "security.ssl.rest.truststore=" + ca,
                             "-D", "security.ssl.rest.authentication-enabled=true", "-D",
                             "security.ssl.rest.keystore=" + node});
  BOOST_TEST(with.exit_code == 0, with.err);
  auto stranger_client =
    run_flink_cpp({"list", "-m", address, "-D", "security.ssl.rest.truststore=" + ca, "-D",
                   "security.ssl.rest.authentication-enabled=true", "-D",
                   "security.ssl.rest.keystore=" + foreign});
  BOOST_TEST(stranger_client.exit_code == 1);
  BOOST_TEST(stranger_client.err.find("it refused this process's certificate") != std::string::npos,
             stranger_client.err);
}

BOOST_AUTO_TEST_SUITE_END()
