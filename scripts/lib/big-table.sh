# Shared by the benchmarks that change a big lead_event_log under load (bench-online.sh,
# bench-algorithm.sh); sourced after ROWS and CORPUS are set. Provides M (the client), WORK (a
# temporary folder), DBS with a cleanup trap dropping each, $WORK/load.pl (one client, one
# statement every 20 ms: `perl load.pl DB write|read STOPFILE LIMIT` prints
# "p50 p99 max count errors worst-at") and setup DB (the corpus with ROWS rows in
# lead_event_log, object_id widened to BIGINT and two indexes dropped: a copy plus two index
# builds to repair).
M="mariadb -h127.0.0.1 -uroot"
WORK=$(mktemp -d)
DBS=()
cleanup() {
  for db in "${DBS[@]}"; do $M -e "DROP DATABASE IF EXISTS \`$db\`"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The load: one client, a bounded loop (at most LIMIT seconds, or until the stop file appears),
# one statement every 20 ms; prints "p50 p99 max count errors" in milliseconds.
cat > "$WORK/load.pl" <<'PERL'
use strict; use warnings; use DBI; use Time::HiRes qw(time sleep);
my ($db, $mode, $stop, $limit) = @ARGV;
my $dbh = DBI->connect("DBI:mysql:database=$db;host=127.0.0.1;port=3306", "root", "",
  { RaiseError => 0, PrintError => 0, AutoCommit => 1 }) or die "connect: $DBI::errstr";
my ($max_id) = $dbh->selectrow_array("SELECT MAX(id) FROM lead_event_log");
my (@lat, $errors, $worst, $worst_at);
my $t0 = time;
while (!-e $stop && time - $t0 < $limit) {
  my $t = time;
  my $ok = $mode eq 'write'
    ? $dbh->do("INSERT INTO lead_event_log (bundle, object, action, object_id, date_added, properties) VALUES ('lead', 'lead', 'bench', 1, NOW(), '{}')")
    : $dbh->selectrow_array("SELECT action FROM lead_event_log WHERE id = ?", undef, 1 + int(rand($max_id)));
  my $ms = (time - $t) * 1000;
  push @lat, $ms;
  ($worst, $worst_at) = ($ms, $t) if !defined $worst || $ms > $worst;
  if (!defined $ok && $dbh->err) {
    print STDERR "$mode failed: ", $dbh->errstr, "\n" unless $errors++;
  }
  sleep 0.02;
}
my @s = sort { $a <=> $b } @lat;
my $pct = sub { $s[int($_[0] * $#s)] };
my @at = localtime($worst_at);
printf "%.1f %.1f %.1f %d %d %02d:%02d:%06.3f\n", $pct->(0.5), $pct->(0.99), $s[-1], scalar @s, $errors // 0,
  @at[2, 1], $at[0] + $worst_at - int($worst_at);
PERL

setup() {
  local db=$1
  DBS+=("$db")
  $M -e "CREATE DATABASE \`$db\`"
  $M "$db" < "$CORPUS"
  $M "$db" -e "SET foreign_key_checks = 0;
    INSERT INTO lead_event_log (lead_id, user_id, user_name, bundle, object, action, object_id, date_added, properties)
      SELECT NULL, 1, 'admin', 'lead', 'lead', ELT(1 + seq % 4, 'create', 'update', 'delete', 'merge'), seq, NOW() - INTERVAL seq SECOND, '{}'
      FROM seq_1_to_$ROWS;
    ALTER TABLE lead_event_log DROP INDEX lead_timeline_action_index, DROP INDEX lead_date_added_index,
      MODIFY object_id BIGINT DEFAULT NULL;
    ANALYZE TABLE lead_event_log;" >/dev/null
}
