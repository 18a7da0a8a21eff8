// Linux socket I/O for Portwatch, as a plain N-API addon. It only reads; it parses nothing beyond what
// it must to know when a read is complete. Every byte it returns is parsed in TypeScript
// (electron/node/platform/parse/), so a capture bundle parses the same way on any machine.
//
//   dumpTcp(family: 4 | 6, stateMask: number): Promise<Buffer>
//     One NETLINK_SOCK_DIAG / SOCK_DIAG_BY_FAMILY dump (inet_diag_req_v2, IPPROTO_TCP, no extensions),
//     returning the netlink messages exactly as received, the final NLMSG_DONE / NLMSG_ERROR included.
//     stateMask is a bitmask of (1 << state) with the kernel's state numbers (include/net/tcp_states.h).
//
//     Bound-only sockets: since Linux 6.5 the kernel also dumps sockets that are bound but neither
//     listening nor connected when the mask has bit 13 (TCPF_BOUND_INACTIVE) set; it walks the bind hash
//     for them after the established and listening hashes. Checked on the 6.18 kernel this was written
//     on: they come back with idiag_state 7 (TCP_CLOSE, their real sk_state), not 13, and only when bit
//     13 is asked for (a mask of bits 0..12, CLOSE included, returns none of them); the parser stores
//     them as BOUND (test/node/platform/linux/sockets.test.ts binds such a socket and finds it). Older
//     kernels ignore the bit. iproute2 before 6.5 (`ss` 6.1 here) never asks for them.
//
//     Receive sizes: the kernel fills one skb per recvmsg() and sizes it from the largest buffer the
//     reader has offered, capped at 32 KiB (net/netlink/af_netlink.c, max_recvmsg_len), and only builds
//     the next one when the reader comes back. We therefore always offer a large buffer (so every skb
//     is a full 32 KiB one: 260 to 370 sockets per syscall) and receive straight into the output, with
//     no copy per message.
//
//   scanSocketOwners(): Promise<Buffer>
//     Walks /proc/<pid>/fd of every process, keeps the fds whose link reads `socket:[N]`, and returns
//     one text line per process that has sockets: `pid\tcomm\tinode inode ...\n`. comm comes from
//     /proc/<pid>/comm with control characters replaced by '?' (a process may rename itself to anything,
//     and a tab or newline would break the line format). Processes that vanish or cannot be read
//     (without root only one's own are readable) are skipped silently.
//
// Both run as napi async work on the libuv thread pool, never on the JavaScript thread.
#define _GNU_SOURCE
#include <node_api.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

// A receive that waits this long means the kernel stopped answering; the read fails rather than
// holding a thread-pool thread forever (the JavaScript side has its own, shorter, timeout).
#define RECV_TIMEOUT_SEC 30
// Space offered to each recv(): far above the 32 KiB the kernel uses, see above.
#define RECV_SPACE (256 * 1024)
// A dump larger than this is refused (bounds memory: 150,000 sockets take about 15 MiB).
#define MAX_DUMP_BYTES ((size_t)1 << 30)
// The owners text is bounded too (one line per process, about 8 bytes per socket).
#define MAX_OWNERS_BYTES ((size_t)256 << 20)

// ---------------------------------------------------------------------------------------------------
// A growable byte buffer, malloc'ed (it may be handed to JavaScript as an external buffer).

typedef struct {
  char *data;
  size_t len;
  size_t cap;
} bytes_t;

static bool bytes_reserve(bytes_t *b, size_t more, size_t limit) {
  if (b->len + more <= b->cap) return true;
  if (b->len + more > limit) return false;
  size_t cap = b->cap ? b->cap : 64 * 1024;
  while (cap < b->len + more) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) return false;
  b->data = p;
  b->cap = cap;
  return true;
}

static bool bytes_append(bytes_t *b, const char *s, size_t n) {
  if (!bytes_reserve(b, n, MAX_OWNERS_BYTES)) return false;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Shared job plumbing: a promise, a result buffer, and an error named after the failing call.

typedef struct job job_t;
typedef void (*job_fn)(job_t *);

struct job {
  napi_async_work work;
  napi_deferred deferred;
  job_fn run;
  int family;
  uint32_t states;
  bytes_t out;
  int err;          // errno of the failure, 0 when none
  char what[160];   // what failed, e.g. "recv(NETLINK_SOCK_DIAG)"
};

static void job_fail(job_t *j, int err, const char *what) {
  j->err = err ? err : EIO;
  snprintf(j->what, sizeof j->what, "%s", what);
}

static void job_execute(napi_env env, void *data) {
  (void)env;
  job_t *j = data;
  j->run(j);
}

static void free_external(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

// Hands the bytes to JavaScript without a copy when the runtime allows external buffers. Electron's
// V8 memory cage does not (napi_no_external_buffers_allowed); then the bytes are copied once.
static napi_status make_buffer(napi_env env, bytes_t *b, napi_value *result) {
  if (b->len == 0) {
    free(b->data);
    b->data = NULL;
    void *unused;
    return napi_create_buffer(env, 0, &unused, result);
  }
  char *shrunk = realloc(b->data, b->len);
  if (shrunk) b->data = shrunk;
  napi_status s = napi_create_external_buffer(env, b->len, b->data, free_external, NULL, result);
  if (s == napi_ok) {
    b->data = NULL;  // owned by the Buffer now
    return s;
  }
  void *copy;
  s = napi_create_buffer_copy(env, b->len, b->data, &copy, result);
  free(b->data);
  b->data = NULL;
  return s;
}

static void reject_with(napi_env env, job_t *j, const char *message, const char *code) {
  napi_value msg, err, code_value;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &err);
  if (code) {
    napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value);
    napi_set_named_property(env, err, "code", code_value);
  }
  napi_reject_deferred(env, j->deferred, err);
}

static const char *errno_code(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOENT: return "ENOENT";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case ENOBUFS: return "ENOBUFS";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case E2BIG: return "E2BIG";
    case EMSGSIZE: return "EMSGSIZE";
    default: return "EIO";
  }
}

static void job_complete(napi_env env, napi_status status, void *data) {
  job_t *j = data;
  if (status != napi_ok) {
    reject_with(env, j, "sock_diag: the read was cancelled", "ECANCELED");
  } else if (j->err) {
    char message[320];
    snprintf(message, sizeof message, "%s: %s", j->what, strerror(j->err));
    reject_with(env, j, message, errno_code(j->err));
  } else {
    napi_value buf;
    if (make_buffer(env, &j->out, &buf) == napi_ok) {
      napi_resolve_deferred(env, j->deferred, buf);
    } else {
      reject_with(env, j, "sock_diag: could not create the result Buffer", "ENOMEM");
    }
  }
  free(j->out.data);
  napi_delete_async_work(env, j->work);
  free(j);
}

static napi_value start_job(napi_env env, job_t *j, const char *name) {
  napi_value promise, resource_name;
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok) {
    free(j);
    napi_throw_error(env, NULL, "sock_diag: could not create a promise");
    return NULL;
  }
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name);
  if (napi_create_async_work(env, NULL, resource_name, job_execute, job_complete, j, &j->work) != napi_ok) {
    reject_with(env, j, "sock_diag: could not create the read", "EIO");
    free(j);
  } else if (napi_queue_async_work(env, j->work) != napi_ok) {
    reject_with(env, j, "sock_diag: could not queue the read", "EIO");
    napi_delete_async_work(env, j->work);
    free(j);
  }
  return promise;
}

// ---------------------------------------------------------------------------------------------------
// dumpTcp

// True when the bytes [from, to) end the dump: an NLMSG_DONE or NLMSG_ERROR header, or a header that
// cannot be walked (the parser will name it; reading on would only wait for the timeout).
static bool chunk_ends_dump(const char *from, const char *to) {
  while (to - from >= (ptrdiff_t)sizeof(struct nlmsghdr)) {
    struct nlmsghdr h;
    memcpy(&h, from, sizeof h);
    if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR) return true;
    if (h.nlmsg_len < sizeof h || h.nlmsg_len > (size_t)(to - from)) return true;
    from += NLMSG_ALIGN(h.nlmsg_len);
  }
  return false;
}

static void run_dump(job_t *j) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    job_fail(j, errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
    return;
  }
  struct timeval tv = {.tv_sec = RECV_TIMEOUT_SEC, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 req;
  } request;
  memset(&request, 0, sizeof request);
  request.nlh.nlmsg_len = sizeof request;
  request.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.nlh.nlmsg_seq = 1;
  request.req.sdiag_family = (uint8_t)j->family;
  request.req.sdiag_protocol = IPPROTO_TCP;
  request.req.idiag_ext = 0;  // no extensions: every message stays a bare inet_diag_msg (+ a few attributes)
  request.req.idiag_states = j->states;

  struct sockaddr_nl kernel;
  memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = sendto(fd, &request, sizeof request, 0, (struct sockaddr *)&kernel, sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    job_fail(j, errno, "sendto(NETLINK_SOCK_DIAG)");
    close(fd);
    return;
  }

  for (;;) {
    if (!bytes_reserve(&j->out, RECV_SPACE, MAX_DUMP_BYTES)) {
      job_fail(j, E2BIG, "sock_diag dump larger than 1 GiB, or out of memory");
      break;
    }
    size_t space = j->out.cap - j->out.len;
    // MSG_TRUNC: the datagram's real length comes back even when it did not fit (it never should)
    ssize_t n = recv(fd, j->out.data + j->out.len, space, MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      job_fail(j, errno, errno == EAGAIN ? "recv(NETLINK_SOCK_DIAG) timed out" : "recv(NETLINK_SOCK_DIAG)");
      break;
    }
    if (n == 0) break;
    if ((size_t)n > space) {
      job_fail(j, EMSGSIZE, "recv(NETLINK_SOCK_DIAG): a netlink message larger than the receive buffer");
      break;
    }
    const char *chunk = j->out.data + j->out.len;
    j->out.len += (size_t)n;
    if (chunk_ends_dump(chunk, chunk + n)) break;
  }
  close(fd);
}

static napi_value dump_tcp(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t family = 0;
  uint32_t states = 0;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &family) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &states) != napi_ok || (family != 4 && family != 6)) {
    napi_throw_type_error(env, NULL, "dumpTcp(family: 4 | 6, stateMask: number)");
    return NULL;
  }
  job_t *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, NULL, "sock_diag: out of memory");
    return NULL;
  }
  j->run = run_dump;
  j->family = family == 4 ? AF_INET : AF_INET6;
  j->states = states;
  return start_job(env, j, "portwatch:dumpTcp");
}

// ---------------------------------------------------------------------------------------------------
// scanSocketOwners

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

// Appends "pid\tcomm\t" for a process (comm sanitised; "?" when unreadable).
static bool append_process_head(bytes_t *out, int proc_fd, const char *pid) {
  char path[64], comm[64];
  snprintf(path, sizeof path, "%.20s/comm", pid);
  ssize_t n = -1;
  int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    n = read(fd, comm, sizeof comm - 1);
    close(fd);
  }
  if (n > 0 && comm[n - 1] == '\n') n--;
  if (n <= 0) {
    comm[0] = '?';
    n = 1;
  }
  for (ssize_t i = 0; i < n; i++)
    if ((unsigned char)comm[i] < 0x20 || comm[i] == 0x7f) comm[i] = '?';
  return bytes_append(out, pid, strlen(pid)) && bytes_append(out, "\t", 1) && bytes_append(out, comm, (size_t)n) &&
         bytes_append(out, "\t", 1);
}

static void run_owners(job_t *j) {
  int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc_fd < 0) {
    job_fail(j, errno, "open(/proc)");
    return;
  }
  DIR *proc = fdopendir(dup(proc_fd));
  if (!proc) {
    job_fail(j, errno, "opendir(/proc)");
    close(proc_fd);
    return;
  }
  struct dirent *pe;
  while ((pe = readdir(proc)) != NULL) {
    if (!all_digits(pe->d_name) || strlen(pe->d_name) > 20) continue;
    char path[64];
    snprintf(path, sizeof path, "%.20s/fd", pe->d_name);
    int fd_dir = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_dir < 0) continue;  // vanished, or not ours to read
    DIR *fds = fdopendir(fd_dir);
    if (!fds) {
      close(fd_dir);
      continue;
    }
    size_t line_start = j->out.len;
    bool any = false, ok = true;
    struct dirent *fe;
    while (ok && (fe = readdir(fds)) != NULL) {
      if (fe->d_name[0] == '.') continue;
      char link[64];
      ssize_t n = readlinkat(fd_dir, fe->d_name, link, sizeof link);
      // "socket:[12345]": keep the digits between the brackets
      if (n < 10 || n >= (ssize_t)sizeof link || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']') continue;
      if (!any) {
        ok = append_process_head(&j->out, proc_fd, pe->d_name);
        any = true;
      } else {
        ok = bytes_append(&j->out, " ", 1);
      }
      ok = ok && bytes_append(&j->out, link + 8, (size_t)(n - 9));
    }
    closedir(fds);
    if (!ok) {
      j->out.len = line_start;
      job_fail(j, E2BIG, "socket owners text larger than 256 MiB, or out of memory");
      break;
    }
    if (any && !bytes_append(&j->out, "\n", 1)) {
      j->out.len = line_start;
      job_fail(j, ENOMEM, "socket owners: out of memory");
      break;
    }
  }
  closedir(proc);
  close(proc_fd);
}

static napi_value scan_socket_owners(napi_env env, napi_callback_info info) {
  (void)info;
  job_t *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, NULL, "sock_diag: out of memory");
    return NULL;
  }
  j->run = run_owners;
  return start_job(env, j, "portwatch:scanSocketOwners");
}

// ---------------------------------------------------------------------------------------------------

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"dumpTcp", NULL, dump_tcp, NULL, NULL, NULL, napi_enumerable, NULL},
      {"scanSocketOwners", NULL, scan_socket_owners, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
