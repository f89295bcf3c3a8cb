#pragma once

// Messages between the client side of a cluster and its job masters, and
// their registration with CAF (after the runtime's own block).

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/type_id.hpp>

#include "cluster/job_status.hpp"
#include "runtime/messages.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(flinkcpp_cluster, caf::id_block::flinkcpp::end)
  CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::job_result))
CAF_END_TYPE_ID_BLOCK(flinkcpp_cluster)

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::job_result)
