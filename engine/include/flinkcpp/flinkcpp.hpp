#pragma once

// Everything a job author needs: the stream environment, data streams and
// keyed streams, collectors, job arguments, event time (watermark strategies,
// windows) and the FLINKCPP_JOB macro.

#include "flinkcpp/collector.hpp"
#include "flinkcpp/configuration.hpp"
#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/job.hpp"
#include "flinkcpp/job_args.hpp"
#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/runtime_mode.hpp"
#include "flinkcpp/state.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "flinkcpp/watermark_strategy.hpp"
#include "flinkcpp/windowed_stream.hpp"
#include "flinkcpp/windows.hpp"
