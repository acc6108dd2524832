#!/usr/bin/env python3
"""Starts librdkafka's mock cluster: a Kafka-protocol broker over real TCP.

Why this exists: no Kafka broker can be installed on the CI machines (no Docker, no package),
but Debian's librdkafka1 ships the mock cluster, which kafkajs speaks to. The mock cluster
cannot create topics over the protocol, so this launcher creates them.

Usage: mockKafkaBroker.py --topics name:partitions[,name:partitions...] [--ready-file PATH]
Prints `BOOTSTRAP <host:port>` on stdout once listening, then runs until SIGTERM/SIGINT or
until stdin closes (so a parent that dies takes the broker with it; --no-stdin-watch turns
that off for scripts that stop it by PID).

Fault injection, for tests of outages: a line `fail <ApiKey> <code> <count>` answers the next
requests of an API with a Kafka error code; a line `down` on stdin takes the broker down (its
connections are closed and new ones refused, as when a broker process dies) and `up` brings it
back, with its topics, records and committed offsets intact (stopping the process would lose
them: the mock cluster lives in memory). Each is acknowledged with a line `DOWN` or `UP`.
"""
import argparse
import ctypes
import ctypes.util
import signal
import sys
import threading


def load_librdkafka():
    for name in ("librdkafka.so.1", ctypes.util.find_library("rdkafka")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    sys.stderr.write(
        "mockKafkaBroker: librdkafka is not installed. Fix: apt-get install -y librdkafka1\n"
    )
    sys.exit(3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", default="", help="name:partitions,...")
    parser.add_argument("--ready-file", default=None)
    parser.add_argument("--no-stdin-watch", action="store_true", help="run until signalled, ignoring stdin")
    args = parser.parse_args()

    lib = load_librdkafka()
    lib.rd_kafka_conf_new.restype = ctypes.c_void_p
    lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
    lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
    lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_mock_topic_create.restype = ctypes.c_int
    lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.rd_kafka_mock_broker_set_down.restype = ctypes.c_int
    lib.rd_kafka_mock_broker_set_down.argtypes = [ctypes.c_void_p, ctypes.c_int32]
    lib.rd_kafka_mock_broker_set_up.restype = ctypes.c_int
    lib.rd_kafka_mock_broker_set_up.argtypes = [ctypes.c_void_p, ctypes.c_int32]
    lib.rd_kafka_mock_push_request_errors_array.restype = None
    lib.rd_kafka_mock_push_request_errors_array.argtypes = [ctypes.c_void_p, ctypes.c_int16, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]

    errstr = ctypes.create_string_buffer(512)
    conf = lib.rd_kafka_conf_new()
    # A producer handle only hosts the mock cluster; it never produces.
    rk = lib.rd_kafka_new(0, conf, errstr, len(errstr))
    if not rk:
        sys.stderr.write("mockKafkaBroker: rd_kafka_new failed: %s\n" % errstr.value.decode())
        sys.exit(4)
    mc = lib.rd_kafka_mock_cluster_new(rk, 1)
    if not mc:
        sys.stderr.write("mockKafkaBroker: rd_kafka_mock_cluster_new failed\n")
        sys.exit(5)
    for spec in filter(None, args.topics.split(",")):
        name, _, parts = spec.partition(":")
        err = lib.rd_kafka_mock_topic_create(mc, name.encode(), int(parts or "1"), 1)
        if err != 0:
            sys.stderr.write("mockKafkaBroker: cannot create topic %s (error %d)\n" % (name, err))
            sys.exit(6)
    bootstrap = lib.rd_kafka_mock_cluster_bootstraps(mc).decode()
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write(bootstrap)
    sys.stdout.write("BOOTSTRAP %s\n" % bootstrap)
    sys.stdout.flush()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        # The mock cluster has one broker; librdkafka numbers brokers from 1.
        try:
            for line in sys.stdin:
                command = line.strip()
                if command == "down":
                    lib.rd_kafka_mock_broker_set_down(mc, 1)
                    sys.stdout.write("DOWN\n")
                elif command == "up":
                    lib.rd_kafka_mock_broker_set_up(mc, 1)
                    sys.stdout.write("UP\n")
                elif command.startswith("fail "):
                    # `fail <ApiKey> <error code> <count>`: the next <count> requests of that API
                    # are answered with that Kafka error code (e.g. `fail 12 30 1`: one Heartbeat
                    # refused with GROUP_AUTHORIZATION_FAILED, which clients do not retry).
                    _, api_key, code, count = command.split()
                    errors = (ctypes.c_int * int(count))(*([int(code)] * int(count)))
                    lib.rd_kafka_mock_push_request_errors_array(mc, int(api_key), int(count), errors)
                    sys.stdout.write("FAIL\n")
                sys.stdout.flush()
        except Exception:
            pass
        stop.set()

    if not args.no_stdin_watch and not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    # Process exit tears down the cluster threads; an orderly destroy can hang on open clients.


if __name__ == "__main__":
    main()
