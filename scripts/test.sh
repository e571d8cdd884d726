#!/usr/bin/env bash
# Run the whole test suite on this machine, setting up what it needs first:
# a MariaDB server on 127.0.0.1:3306 (root, empty password) and the mariadb/mariadb-dump
# clients, and Percona's pt-online-schema-change (package percona-toolkit) for the online
# schema change tests. Installs them with apt when absent, starts the server when it is down, and fails
# loudly when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test.sh: $*" >&2; }

need_install=()
[ -x /usr/sbin/mariadbd ] || need_install+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || need_install+=(mariadb-client)
command -v mariadb-dump >/dev/null 2>&1 || command -v mysqldump >/dev/null 2>&1 || need_install+=(mariadb-client)
command -v pt-online-schema-change >/dev/null 2>&1 || need_install+=(percona-toolkit)
if [ ${#need_install[@]} -gt 0 ]; then
  say "installing ${need_install[*]}"
  if [ "$(id -u)" != 0 ]; then say "need root to apt-get install ${need_install[*]}"; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

tcp_ok() { mariadb -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; }

if ! tcp_ok; then
  if ! mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    say "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    for _ in $(seq 1 60); do
      mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
      tcp_ok && break
      sleep 0.5
    done
  fi
  if ! tcp_ok && mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    # A fresh Debian install lets root in through the socket only; the tests use TCP with an
    # empty password, as on the project's machines.
    say "allowing root over TCP with an empty password (test server only)"
    mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; \
      CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"
  fi
fi
if ! command -v pt-online-schema-change >/dev/null 2>&1; then
  say "pt-online-schema-change is missing (apt-get install percona-toolkit); tests/online.rs needs it"
  exit 1
fi
if ! tcp_ok; then
  say "MariaDB is not reachable at 127.0.0.1:3306 as root with an empty password; the integration tests need it"
  exit 1
fi
mariadb -h127.0.0.1 -uroot -e 'CREATE DATABASE IF NOT EXISTS test' >/dev/null

# cargo-nextest (on the project's machines) runs each test in a process of its own, several at
# a time across all the test files (plain cargo test runs the files one after another), the
# slowest first (.config/nextest.toml). Every test names its databases, users and files after
# its process id, so they do not collide. Measured on the 2-core machine, fresh clone, quiet
# (2026-12-07): 445 tests in 528 s with 4 at a time (2,079 s of test time: 3.9 running at
# once), 11 min with the build. More at once does not help: the server's DDL keeps both cores
# busy (8 at a time ran a sample in the same time). Without nextest, plain cargo test.
if cargo nextest --version >/dev/null 2>&1; then
  exec cargo nextest run --all-targets --no-fail-fast --test-threads "${MS_TEST_THREADS:-4}" "$@"
fi
cargo test --all-targets "$@"
