// A workaround for CAF 0.17.6's OpenSSL module, linked into the flink-cpp
// executable only.
//
// OpenSSL keeps errors in a per-thread queue, and SSL_get_error() reads that
// queue: "the current thread's error queue must be empty before the TLS/SSL
// I/O operation is attempted, or SSL_get_error() will not work reliably"
// (its manual). CAF's sessions never drain it when a handshake fails (a port
// scan, a Kubernetes tcpSocket probe, a peer of another authority or without
// TLS), so the next TLS read of any other connection on CAF's I/O thread
// that merely has to wait for data is taken for a failure, and that
// connection, the jobmanager's included, is closed.
//
// This definition of SSL_get_error(), exported (the project hides symbols by
// default), comes first in the process's symbol lookup (the executable's
// symbols precede libssl's), so CAF's calls reach it. When the operation
// asked about is only waiting for its socket (an operation that waits queues
// no error of its own), whatever the queue holds is another connection's old
// failure: it is dropped before OpenSSL's answer is computed. Every other
// case is OpenSSL's own answer, untouched. tests/integration/tls_test.cpp
// (refused handshakes during a running job) fails without it.

#include <dlfcn.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

using get_error_function = int (*)(const SSL*, int);

get_error_function openssl_get_error() {
  static const auto real =
    reinterpret_cast<get_error_function>(::dlsym(RTLD_NEXT, "SSL_get_error"));
  return real;
}

} // namespace

extern "C" __attribute__((visibility("default"))) int SSL_get_error(const SSL* ssl, int result) {
  if (result <= 0 && SSL_want(ssl) != SSL_NOTHING)
    ERR_clear_error();
  return openssl_get_error()(ssl, result);
}
