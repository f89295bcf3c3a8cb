#pragma once

// Everything a job author needs: the stream environment, data streams and
// keyed streams, collectors, job arguments, event and processing time
// (watermark strategies and generators, timers, windows), the file and
// print connectors, the raw and CSV formats and the FLINKCPP_JOB macro.
// JSON (flinkcpp/json_format.hpp) and Kafka (flinkcpp/kafka_source.hpp,
// kafka_sink.hpp) are included where used.

#include "flinkcpp/collector.hpp"
#include "flinkcpp/configuration.hpp"
#include "flinkcpp/connected_streams.hpp"
#include "flinkcpp/csv_format.hpp"
#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/event_time.hpp"
#include "flinkcpp/evictor.hpp"
#include "flinkcpp/evictors.hpp"
#include "flinkcpp/field.hpp"
#include "flinkcpp/file_sink.hpp"
#include "flinkcpp/file_source.hpp"
#include "flinkcpp/format.hpp"
#include "flinkcpp/interval_join.hpp"
#include "flinkcpp/job.hpp"
#include "flinkcpp/job_args.hpp"
#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/print_sink.hpp"
#include "flinkcpp/process_function.hpp"
#include "flinkcpp/process_join_function.hpp"
#include "flinkcpp/process_window_function.hpp"
#include "flinkcpp/raw_format.hpp"
#include "flinkcpp/runtime_mode.hpp"
#include "flinkcpp/sink.hpp"
#include "flinkcpp/state.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "flinkcpp/text_line.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/time_window.hpp"
#include "flinkcpp/trigger.hpp"
#include "flinkcpp/triggers.hpp"
#include "flinkcpp/watermark_generator.hpp"
#include "flinkcpp/watermark_strategy.hpp"
#include "flinkcpp/windowed_stream.hpp"
#include "flinkcpp/windows.hpp"
