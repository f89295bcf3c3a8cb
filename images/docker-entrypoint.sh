#!/bin/sh
# The image's entrypoint, with the conventions of Flink's docker image, so
# that manifests written for Flink's image run this one with only the image
# name changed:
#
#   jobmanager [args]       a jobmanager (session cluster)
#   taskmanager [args]      a taskmanager
#   standalone-job [args]   a jobmanager running one job (application mode):
#                           --job-classname NAME (a built-in job, or a job of
#                           a library in $FLINK_HOME/usrlib), --jars LIB,
#                           --job-id, --fromSavepoint, --allowNonRestoredState,
#                           then the job's arguments
#   help                    this text
#   anything else           run as given (flink run ..., bash, ...)
#
# The configuration is $FLINK_HOME/conf (config.yaml, else flink-conf.yaml);
# FLINK_PROPERTIES (key: value lines) and, when set, JOB_MANAGER_RPC_ADDRESS
# and TASK_MANAGER_NUMBER_OF_TASK_SLOTS go on top of it, as Flink's
# entrypoint appends them (flink-cpp reads FLINK_PROPERTIES itself: the
# configuration folder may be a read-only ConfigMap).
set -e

add_property() {
  FLINK_PROPERTIES="$1: $2
${FLINK_PROPERTIES:-}"
  export FLINK_PROPERTIES
}

[ -n "${JOB_MANAGER_RPC_ADDRESS:-}" ] && add_property jobmanager.rpc.address "$JOB_MANAGER_RPC_ADDRESS"
[ -n "${TASK_MANAGER_NUMBER_OF_TASK_SLOTS:-}" ] && \
  add_property taskmanager.numberOfTaskSlots "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS"

case "${1:-help}" in
  jobmanager|taskmanager|standalone-job)
    exec flink-cpp "$@"
    ;;
  help|--help|-h)
    echo "Usage: $(basename "$0") (jobmanager|taskmanager|standalone-job) [args]"
    echo "    Or $(basename "$0") help"
    echo "    Or any command, e.g. flink run -m HOST:PORT JOB [job args]"
    echo
    exec flink-cpp --help
    ;;
  *)
    exec "$@"
    ;;
esac
