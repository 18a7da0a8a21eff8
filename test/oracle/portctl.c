/*
 * portctl: opens TCP sockets the ways that matter for ephemeral ports, for the oracle scenarios.
 * Node's net module cannot make a bound-only socket nor set IP_BIND_ADDRESS_NO_PORT, so this tiny
 * program does, compiled by the test with gcc into a temporary directory.
 *
 *   portctl MODE --count N [--to IP:PORT] [--src IP] [--until-fail] [--idle N] [--max-lifetime-s S]
 *   MODE: bind-only     bind(src or 0.0.0.0, port 0), never connect
 *         bind-connect  bind(src or 0.0.0.0, port 0), then connect(): the port is taken at bind()
 *         nobind-connect  like bind-connect with IP_BIND_ADDRESS_NO_PORT set first (port chosen at connect())
 *         connect       plain connect(); with --src, bind(src) with IP_BIND_ADDRESS_NO_PORT first,
 *                       which is how a plain connect from a chosen source address is made
 *
 * --idle N: afterwards, N more sockets bound to port 0 and never connected (a program that keeps spare
 * bound sockets: what makes its connected sockets recognisable as bound before connect()).
 *
 * One JSON line per event on stdout: {"ready":true,"pid":N}; per attempt {"ok":i,"localPort":p} or
 * {"failed":i,"code":"EADDRNOTAVAIL"}; then {"done":true,"ok":n,"failed":m,"code":"..."} (code: the
 * first failure, "" when none). With --until-fail it stops at the first failure. It then holds its
 * sockets until killed, stdin closes, or --max-lifetime-s (default 120) passes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static const char *code_name(int e) {
  switch (e) {
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EADDRINUSE: return "EADDRINUSE";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case EINVAL: return "EINVAL";
    default: return "EOTHER";
  }
}

static void usage(const char *why) {
  printf("{\"error\":\"%s\"}\n", why);
  exit(2);
}

static void parse_addr(const char *text, struct sockaddr_in *out, int need_port) {
  char host[64];
  const char *colon = strrchr(text, ':');
  memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  if (need_port) {
    if (!colon || colon - text >= (long)sizeof host) usage("--to must look like 127.0.0.1:8080");
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = 0;
    long port = strtol(colon + 1, NULL, 10);
    if (port < 1 || port > 65535) usage("--to has a bad port");
    out->sin_port = htons((unsigned short)port);
  } else {
    if (strlen(text) >= sizeof host) usage("--src is too long");
    strcpy(host, text);
  }
  if (inet_pton(AF_INET, host, &out->sin_addr) != 1) usage("not an IPv4 address");
}

int main(int argc, char **argv) {
  if (argc < 2) usage("give a mode: bind-only, bind-connect, nobind-connect or connect");
  const char *mode = argv[1];
  int bind_only = !strcmp(mode, "bind-only"), bind_connect = !strcmp(mode, "bind-connect");
  int nobind_connect = !strcmp(mode, "nobind-connect"), plain = !strcmp(mode, "connect");
  if (!bind_only && !bind_connect && !nobind_connect && !plain) usage("unknown mode");
  long count = 1, lifetime = 120, idle = 0;
  int until_fail = 0, have_to = 0, have_src = 0;
  struct sockaddr_in to, src;
  memset(&src, 0, sizeof src);
  src.sin_family = AF_INET;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--count") && i + 1 < argc) count = strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--to") && i + 1 < argc) { parse_addr(argv[++i], &to, 1); have_to = 1; }
    else if (!strcmp(argv[i], "--src") && i + 1 < argc) { parse_addr(argv[++i], &src, 0); have_src = 1; }
    else if (!strcmp(argv[i], "--until-fail")) until_fail = 1;
    else if (!strcmp(argv[i], "--idle") && i + 1 < argc) idle = strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--max-lifetime-s") && i + 1 < argc) lifetime = strtol(argv[++i], NULL, 10);
    else usage("unknown option");
  }
  if (count < 1 || count > 20000) usage("--count must be in [1, 20000]");
  if (idle < 0 || idle > 20000) usage("--idle must be in [0, 20000]");
  if (lifetime < 1 || lifetime > 600) usage("--max-lifetime-s must be in [1, 600]");
  if (!bind_only && !have_to) usage("--to is required");
  alarm((unsigned)lifetime); /* every workload ends on its own */
  printf("{\"ready\":true,\"pid\":%d}\n", (int)getpid());
  fflush(stdout);

  long ok = 0, failed = 0;
  const char *first_code = "";
  for (long i = 1; i <= count; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int err = 0;
    if (fd < 0) err = errno;
    int one = 1;
    if (!err && (nobind_connect || (plain && have_src)) &&
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) < 0) err = errno;
    if (!err && (bind_only || bind_connect || nobind_connect || have_src) && bind(fd, (struct sockaddr *)&src, sizeof src) < 0) err = errno;
    if (!err && !bind_only && connect(fd, (struct sockaddr *)&to, sizeof to) < 0) err = errno;
    if (err) {
      if (fd >= 0) close(fd);
      failed++;
      if (!*first_code) first_code = code_name(err);
      printf("{\"failed\":%ld,\"code\":\"%s\"}\n", i, code_name(err));
      if (until_fail) break;
      continue;
    }
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    getsockname(fd, (struct sockaddr *)&local, &len);
    ok++;
    printf("{\"ok\":%ld,\"localPort\":%d}\n", i, ntohs(local.sin_port));
  }
  for (long i = 1; i <= idle; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any;
    memset(&any, 0, sizeof any);
    any.sin_family = AF_INET;
    if (fd < 0 || bind(fd, (struct sockaddr *)&any, sizeof any) < 0) {
      printf("{\"idleFailed\":%ld,\"code\":\"%s\"}\n", i, code_name(errno));
      break;
    }
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    getsockname(fd, (struct sockaddr *)&local, &len);
    printf("{\"idle\":%ld,\"localPort\":%d}\n", i, ntohs(local.sin_port));
  }
  printf("{\"done\":true,\"ok\":%ld,\"failed\":%ld,\"code\":\"%s\"}\n", ok, failed, first_code);
  fflush(stdout);
  /* Hold every socket until stdin closes or a signal ends us. */
  char buf[64];
  while (read(0, buf, sizeof buf) > 0) {}
  pause();
  return 0;
}
