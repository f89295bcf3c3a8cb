#pragma once

#include <string>
#include <vector>

#include "config/config_option.hpp"

namespace flinkcpp::options {

// TLS keys (Flink's security.ssl.*). Internal TLS covers the connections
// between flink-cpp processes (RPC and data); REST TLS the REST API and the
// web UI. See security_options.cpp for each key's meaning.

extern const config_option<bool> ssl_internal_enabled;
extern const config_option<std::string> ssl_internal_keystore;
extern const config_option<std::string> ssl_internal_keystore_password;
extern const config_option<std::string> ssl_internal_key_password;
extern const config_option<std::string> ssl_internal_truststore;
extern const config_option<std::string> ssl_internal_truststore_password;

extern const config_option<bool> ssl_rest_enabled;
extern const config_option<bool> ssl_rest_authentication_enabled;
extern const config_option<std::string> ssl_rest_keystore;
extern const config_option<std::string> ssl_rest_keystore_password;
extern const config_option<std::string> ssl_rest_key_password;
extern const config_option<std::string> ssl_rest_truststore;
extern const config_option<std::string> ssl_rest_truststore_password;

extern const config_option<std::string> ssl_keystore_type;
extern const config_option<std::string> ssl_truststore_type;
extern const config_option<std::string> ssl_protocol;
extern const config_option<std::vector<std::string>> ssl_algorithms;
extern const config_option<bool> ssl_verify_hostname;

/// The TLS keys, for the table of known keys.
std::vector<option_info> security_options();

} // namespace flinkcpp::options
