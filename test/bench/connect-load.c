// A connect()-heavy load for the tracer bench (tracer.bench.ts): one thread listens on 127.0.0.1:PORT,
// connects, accepts that connection and closes both, the client side with SO_LINGER 0 (an RST: no
// TIME-WAIT, so the port is free again at once and the range never runs out). Accepting in the same
// thread keeps the accept queue from overflowing (a dropped SYN would stall a connect for a second). Bounded: stops after SECONDS or MAX connects,
// whichever comes first. In "fail" mode it first holds HOLD connections (as many as the namespace's
// narrowed range allows), so every further connect() fails with EADDRNOTAVAIL: the tracer's counting path.
// Prints one JSON line: {"calls":N,"ok":N,"failed":N,"eaddrnotavail":N,"seconds":S,"cpu":S}, cpu being
// its own user + system time (probes run inside its syscalls, so their cost shows there too).
//
//   connect-load PORT SECONDS MAX [ok|fail] [HOLD]
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: connect-load PORT SECONDS MAX [ok|fail] [HOLD]\n");
    return 2;
  }
  int port = atoi(argv[1]);
  double seconds = atof(argv[2]);
  long max = atol(argv[3]);
  int fail = argc > 4 && argv[4][0] == 'f';
  int hold = argc > 5 ? atoi(argv[5]) : 0;
  if (port <= 0 || port > 65535 || seconds <= 0 || seconds > 120 || max <= 0 || hold < 0 || hold > 1000) {
    fprintf(stderr, "connect-load: bad arguments\n");
    return 2;
  }
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, (struct sockaddr *)&to, sizeof to) != 0 || listen(listener, 4096) != 0) {
    perror("connect-load: listen");
    return 1;
  }
  struct linger lin = {.l_onoff = 1, .l_linger = 0};
  if (fail) {
    // Held open (never closed before exit): they take every port of the narrowed range toward PORT.
    for (int i = 0; i < hold; i++) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      if (connect(s, (struct sockaddr *)&to, sizeof to) != 0) {
        perror("connect-load: hold");
        return 1;
      }
      int c = accept(listener, NULL, NULL);
      if (c >= 0) close(c);
    }
  }
  long calls = 0, ok = 0, failed = 0, notavail = 0;
  double start = now(), end = start + seconds;
  while (calls < max) {
    // the clock is read every 256 calls: cheap next to a connect
    if ((calls & 255) == 0 && now() >= end) break;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
      perror("connect-load: socket");
      return 1;
    }
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
    calls++;
    if (connect(s, (struct sockaddr *)&to, sizeof to) == 0) {
      ok++;
      // on loopback the handshake is done when connect() returns: the connection is in the queue
      int c = accept(listener, NULL, NULL);
      if (c >= 0) close(c);
    } else {
      failed++;
      if (errno == EADDRNOTAVAIL) notavail++;
    }
    close(s);
  }
  double wall = now() - start;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  printf("{\"calls\":%ld,\"ok\":%ld,\"failed\":%ld,\"eaddrnotavail\":%ld,\"seconds\":%.6f,\"cpu\":%.6f}\n", calls, ok, failed, notavail, wall, cpu);
  return 0;
}
