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
//   readNetns(nsPath: string, stateMask: number, files: string[], timeoutMs: number): Promise<Buffer>
//     Reads one network namespace from inside it: a fresh thread opens nsPath (/run/netns/NAME or
//     /proc/<pid>/ns/net), setns(fd, CLONE_NEWNET) (setns changes only the calling thread, and this
//     thread ends with the read, so no pool thread is ever left in another namespace), then reads the
//     IPv4 and IPv6 sockets (one walk of the kernel's tables for both, split into what dumpTcp would
//     return for each family; see dump_both_families) and each of `files` whole. Files under /proc/sys/net
//     and /proc/thread-self/net follow the namespace of the reading thread (the sysctl lookup and the
//     proc_net entries use the current task's nsproxy), so they are read from that same thread. The
//     result is one part per item, in order (dump v4, dump v6, then the files), each framed as
//     int32 errno (0 when read) + uint32 length + the bytes. A namespace that is gone (ENOENT, or
//     EINVAL when the path is no longer a namespace) or refused (EPERM) rejects with that code; a read
//     within it that fails only fails its part. timeoutMs bounds each netlink receive. It runs on a
//     detached thread of its own, not on the thread pool (see netns_thread): a hang holds that thread
//     only, and the promise settles whenever the thread ends.
//
//   scanNetns(): Promise<Buffer>
//     One text line per process: `pid\tcomm\tinode\n` (comm sanitised as above), inode being that of /proc/<pid>/ns/net
//     (readlink "net:[N]"); a process whose namespace is refused (EACCES, EPERM: another user's, without
//     CAP_SYS_PTRACE) gives `pid\tcomm\t-errno\n`; processes that vanish are skipped.
//
//   setCloexec(fd: number): void
//     Sets FD_CLOEXEC on a descriptor this process opened without it (node-pty 1.1 leaves the pty master
//     of a session inheritable, so every later child would hold the root helper's terminal open).
//     Synchronous (one fcntl); throws naming errno for a descriptor that is not open.
//
// The others run as napi async work on the libuv thread pool; none runs on the JavaScript thread.
#define _GNU_SOURCE
#include <node_api.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
  char *ns_path;    // readNetns: the namespace file
  char **files;     // readNetns: files to read inside it
  uint32_t nfiles;
  uint32_t timeout_ms;
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
    case ESRCH: return "ESRCH";
    default: return "EIO";
  }
}

static void free_job_inputs(job_t *j) {
  for (uint32_t i = 0; i < j->nfiles; i++) free(j->files[i]);
  free(j->files);
  free(j->ns_path);
  j->files = NULL;
  j->ns_path = NULL;
  j->nfiles = 0;
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
  free_job_inputs(j);
  free(j);
}

static napi_value start_job(napi_env env, job_t *j, const char *name) {
  napi_value promise, resource_name;
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok) {
    free_job_inputs(j);
    free(j);
    napi_throw_error(env, NULL, "sock_diag: could not create a promise");
    return NULL;
  }
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name);
  if (napi_create_async_work(env, NULL, resource_name, job_execute, job_complete, j, &j->work) != napi_ok) {
    reject_with(env, j, "sock_diag: could not create the read", "EIO");
    free_job_inputs(j);
    free(j);
  } else if (napi_queue_async_work(env, j->work) != napi_ok) {
    reject_with(env, j, "sock_diag: could not queue the read", "EIO");
    napi_delete_async_work(env, j->work);
    free_job_inputs(j);
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

// One dump of one family into `out`, in the calling thread's network namespace. Returns 0 or an errno
// and sets *what to the failing call.
static int dump_family(bytes_t *out, int family, uint32_t states, uint32_t timeout_ms, const char **what) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    *what = "socket(AF_NETLINK, NETLINK_SOCK_DIAG)";
    return errno;
  }
  struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  // One request, of either form; both begin with the netlink header. AF_UNSPEC: the legacy request (see
  // dump_both_families), which the kernel serves with family AF_UNSPEC.
  bool legacy = family == AF_UNSPEC;
  union {
    struct nlmsghdr nlh;
    struct {
      struct nlmsghdr nlh;
      struct inet_diag_req_v2 req;
    } v2;
    struct {
      struct nlmsghdr nlh;
      struct inet_diag_req req;
    } legacy;
  } request;
  memset(&request, 0, sizeof request);
  request.nlh.nlmsg_len = legacy ? sizeof request.legacy : sizeof request.v2;
  request.nlh.nlmsg_type = legacy ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY;
  request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.nlh.nlmsg_seq = 1;
  // no extensions (idiag_ext 0, from the memset): every message stays a bare inet_diag_msg (+ a few attributes)
  if (legacy) {
    request.legacy.req.idiag_family = AF_INET;  // not used for a dump: inet_diag_dump_compat asks for AF_UNSPEC
    request.legacy.req.idiag_states = states;
  } else {
    request.v2.req.sdiag_family = (uint8_t)family;
    request.v2.req.sdiag_protocol = IPPROTO_TCP;
    request.v2.req.idiag_states = states;
  }

  struct sockaddr_nl kernel;
  memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = sendto(fd, &request, request.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    int e = errno;
    *what = "sendto(NETLINK_SOCK_DIAG)";
    close(fd);
    return e;
  }

  int result = 0;
  for (;;) {
    if (!bytes_reserve(out, RECV_SPACE, MAX_DUMP_BYTES)) {
      *what = "sock_diag dump larger than 1 GiB, or out of memory";
      result = E2BIG;
      break;
    }
    size_t space = out->cap - out->len;
    // MSG_TRUNC: the datagram's real length comes back even when it did not fit (it never should)
    ssize_t n = recv(fd, out->data + out->len, space, MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      result = errno;
      *what = errno == EAGAIN ? "recv(NETLINK_SOCK_DIAG) timed out" : "recv(NETLINK_SOCK_DIAG)";
      break;
    }
    if (n == 0) break;
    if ((size_t)n > space) {
      *what = "recv(NETLINK_SOCK_DIAG): a netlink message larger than the receive buffer";
      result = EMSGSIZE;
      break;
    }
    const char *chunk = out->data + out->len;
    out->len += (size_t)n;
    if (chunk_ends_dump(chunk, chunk + n)) break;
  }
  close(fd);
  return result;
}

// Both families' sockets from one walk of the kernel's tables, split into what the IPv4 and the IPv6
// SOCK_DIAG_BY_FAMILY dumps would have returned. Each v2 dump walks every bucket of the established hash
// to keep its own family's sockets; in a namespace that shares the host's hash (the default for
// containers: net.ipv4.tcp_child_ehash_entries 0), that is 262,144 buckets on a 24 GiB machine however few
// sockets the namespace has, twice per reading. The legacy TCPDIAG_GETSOCK request is served by
// inet_diag_dump_compat with family AF_UNSPEC: the same walk (inet_diag_dump_icsk: listening, bound-only,
// established) keeping both families, the same inet_diag_msg per socket; only the message type differs
// (TCPDIAG_GETSOCK, 18). Each message goes to the part of its idiag_family with the type of a v2 dump's
// (SOCK_DIAG_BY_FAMILY), bytes otherwise as received; the final NLMSG_DONE ends both parts. Returns 0, or
// an errno when the walk cannot stand in for the two dumps (the request refused, an NLMSG_ERROR, a
// message it cannot place): the caller then makes the two v2 dumps.
static int dump_both_families(bytes_t *v4, bytes_t *v6, uint32_t states, uint32_t timeout_ms, const char **what) {
  bytes_t all = {0};
  int e = dump_family(&all, AF_UNSPEC, states, timeout_ms, what);
  const char *at = all.data, *end = all.data + all.len;
  bool done = false;
  while (!e && !done) {
    struct nlmsghdr h;
    if (end - at < (ptrdiff_t)sizeof h) {
      e = EPROTO;
      *what = "legacy sock_diag dump: no NLMSG_DONE";
      break;
    }
    memcpy(&h, at, sizeof h);
    size_t step = NLMSG_ALIGN(h.nlmsg_len);
    if (h.nlmsg_len < sizeof h || h.nlmsg_len > (size_t)(end - at)) {
      e = EPROTO;
      *what = "legacy sock_diag dump: a message runs past the end";
      break;
    }
    if (step > (size_t)(end - at)) step = h.nlmsg_len;  // the last message may lack its padding
    if (h.nlmsg_type == NLMSG_DONE) {
      done = true;
      if (!bytes_reserve(v4, step, MAX_DUMP_BYTES) || !bytes_reserve(v6, step, MAX_DUMP_BYTES)) {
        e = E2BIG;
        *what = "sock_diag dump larger than 1 GiB, or out of memory";
        break;
      }
      memcpy(v4->data + v4->len, at, step);
      v4->len += step;
      memcpy(v6->data + v6->len, at, step);
      v6->len += step;
    } else if (h.nlmsg_type == TCPDIAG_GETSOCK && h.nlmsg_len >= sizeof h + sizeof(struct inet_diag_msg)) {
      uint8_t family = (uint8_t)at[sizeof h];  // idiag_family, the first byte of inet_diag_msg
      bytes_t *to = family == AF_INET ? v4 : family == AF_INET6 ? v6 : NULL;
      if (!to) {
        e = EPROTO;
        *what = "legacy sock_diag dump: a socket of neither family";
        break;
      }
      if (!bytes_reserve(to, step, MAX_DUMP_BYTES)) {
        e = E2BIG;
        *what = "sock_diag dump larger than 1 GiB, or out of memory";
        break;
      }
      uint16_t type = SOCK_DIAG_BY_FAMILY;
      memcpy(to->data + to->len, at, step);
      memcpy(to->data + to->len + offsetof(struct nlmsghdr, nlmsg_type), &type, sizeof type);
      to->len += step;
    } else {
      // NLMSG_ERROR (e.g. EINVAL from a kernel without the legacy request) or anything unexpected
      e = EPROTO;
      *what = "legacy sock_diag dump: refused or not understood";
      break;
    }
    at += step;
  }
  free(all.data);
  if (e) v4->len = v6->len = 0;
  return e;
}

static void run_dump(job_t *j) {
  const char *what = "";
  int e = dump_family(&j->out, j->family, j->states, RECV_TIMEOUT_SEC * 1000, &what);
  if (e) job_fail(j, e, what);
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
// readNetns

// Appends one framed part: int32 errno, uint32 length, the bytes (native byte order).
static bool append_part(bytes_t *out, int32_t err, const char *data, size_t len) {
  if (len > UINT32_MAX) return false;
  uint32_t n = (uint32_t)len;
  if (!bytes_reserve(out, 8 + len, MAX_DUMP_BYTES)) return false;
  memcpy(out->data + out->len, &err, 4);
  memcpy(out->data + out->len + 4, &n, 4);
  if (len) memcpy(out->data + out->len + 8, data, len);
  out->len += 8 + len;
  return true;
}

// A whole procfs/sysctl file (size 0 in stat: read until EOF); 0 or an errno.
static int read_whole(bytes_t *b, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  for (;;) {
    if (!bytes_reserve(b, 64 * 1024, (size_t)64 << 20)) {
      close(fd);
      return E2BIG;
    }
    ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      return e;
    }
    if (n == 0) break;
    b->len += (size_t)n;
  }
  close(fd);
  return 0;
}

// The namespace thread is detached and completes the promise itself through a thread-safe function,
// so no libuv pool thread ever waits on it: a namespace whose open or read hangs (a path swapped for a
// FIFO, a stuck file system) holds its own small thread only, the pool (which fs.promises shares) stays
// free, and the JavaScript side decides how long to wait and whether to try that path again.
#define NETNS_THREAD_STACK ((size_t)256 << 10)

typedef struct {
  job_t *job;
  napi_threadsafe_function done;
} netns_run_t;

// Whether the namespace behind nsfd is the one this thread is in already. Entering it needs no setns,
// and setns would need CAP_SYS_ADMIN even there: without that capability, the process's own
// namespace is still read (every other one is refused with EPERM, and the reading says so).
static int is_own_netns(int nsfd) {
  struct stat target, own;
  if (fstat(nsfd, &target) != 0 || stat("/proc/thread-self/ns/net", &own) != 0) return 0;
  return target.st_dev == own.st_dev && target.st_ino == own.st_ino;
}

// PORTWATCH_SOCK_DIAG_ONE_WALK=0 in the environment: always the two v2 dumps (a way out should a kernel
// answer the legacy request wrongly; the tests read the fallback with it). Read once when the addon
// loads, on the JavaScript thread: getenv is not safe against a setenv running on another thread.
static bool two_dumps_only = false;

static void *netns_thread(void *arg) {
  netns_run_t *run = arg;
  job_t *j = run->job;
  int nsfd = open(j->ns_path, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) {
    job_fail(j, errno, "open(namespace)");
  } else if (!is_own_netns(nsfd) && setns(nsfd, CLONE_NEWNET) != 0) {  // this thread only: the process stays where it is
    int e = errno;
    close(nsfd);
    job_fail(j, e, "setns(CLONE_NEWNET)");
  } else {
    close(nsfd);
    // the two dumps from one walk when the kernel serves it, else one v2 dump per family
    bytes_t dumps[2] = {{0}, {0}};
    int dump_err[2] = {0, 0};
    const char *what = "";
    int walked = two_dumps_only ? ENOTSUP : dump_both_families(&dumps[0], &dumps[1], j->states, j->timeout_ms, &what);
    // a walk that timed out would time out again: the two dumps are tried only when it was refused
    if (walked == EAGAIN) dump_err[0] = dump_err[1] = EAGAIN;
    for (int f = 0; walked && walked != EAGAIN && f < 2; f++) {
      dump_err[f] = dump_family(&dumps[f], f == 0 ? AF_INET : AF_INET6, j->states, j->timeout_ms, &what);
      if (dump_err[f]) dumps[f].len = 0;  // a failed dump keeps nothing: a half dump would parse as a short table
    }
    bool ok = append_part(&j->out, dump_err[0], dumps[0].data, dumps[0].len) &&
              append_part(&j->out, dump_err[1], dumps[1].data, dumps[1].len);
    free(dumps[0].data);
    free(dumps[1].data);
    bytes_t part = {0};
    for (uint32_t k = 0; ok && k < j->nfiles; k++) {
      part.len = 0;
      int e = read_whole(&part, j->files[k]);
      if (e) part.len = 0;
      ok = append_part(&j->out, e, part.data, part.len);
    }
    if (!ok) job_fail(j, E2BIG, "readNetns: result larger than 1 GiB, or out of memory");
    free(part.data);
  }
  napi_threadsafe_function done = run->done;
  free(run);
  napi_call_threadsafe_function(done, j, napi_tsfn_blocking);
  napi_release_threadsafe_function(done, napi_tsfn_release);
  return NULL;
}

// On the JavaScript thread once the namespace thread is done (env is NULL when the environment is
// going away: then only the memory is freed).
static void netns_done(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)js_cb;
  (void)context;
  job_t *j = data;
  if (env == NULL) {
    free(j->out.data);
    free_job_inputs(j);
    free(j);
    return;
  }
  if (j->err) {
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
  free_job_inputs(j);
  free(j);
}

static napi_value start_netns_thread(napi_env env, job_t *j) {
  napi_value promise, resource_name;
  netns_run_t *run = calloc(1, sizeof *run);
  if (!run || napi_create_promise(env, &j->deferred, &promise) != napi_ok) {
    free(run);
    free_job_inputs(j);
    free(j);
    napi_throw_error(env, NULL, "sock_diag: could not start readNetns");
    return NULL;
  }
  run->job = j;
  napi_create_string_utf8(env, "portwatch:readNetns", NAPI_AUTO_LENGTH, &resource_name);
  if (napi_create_threadsafe_function(env, NULL, NULL, resource_name, 0, 1, NULL, NULL, NULL, netns_done, &run->done) != napi_ok) {
    reject_with(env, j, "sock_diag: could not create the readNetns completion", "EIO");
    free(run);
    free_job_inputs(j);
    free(j);
    return promise;
  }
  // a hung namespace thread must not keep the process alive
  napi_unref_threadsafe_function(env, run->done);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, NETNS_THREAD_STACK);
  pthread_t t;
  int e = pthread_create(&t, &attr, netns_thread, run);
  pthread_attr_destroy(&attr);
  if (e) {
    napi_release_threadsafe_function(run->done, napi_tsfn_abort);
    free(run);
    char message[160];
    snprintf(message, sizeof message, "pthread_create: %s", strerror(e));
    reject_with(env, j, message, errno_code(e));
    free_job_inputs(j);
    free(j);
  }
  return promise;
}

static char *string_arg(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok || len == 0 || len > 4096) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  if (strlen(s) != len) {  // an embedded NUL would name another file
    free(s);
    return NULL;
  }
  return s;
}

static napi_value read_netns(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const char *usage = "readNetns(nsPath: string, stateMask: number, files: string[], timeoutMs: number)";
  uint32_t states = 0, timeout_ms = 0, nfiles = 0;
  bool is_array = false;
  if (argc < 4 || napi_get_value_uint32(env, argv[1], &states) != napi_ok || napi_is_array(env, argv[2], &is_array) != napi_ok ||
      !is_array || napi_get_array_length(env, argv[2], &nfiles) != napi_ok || nfiles > 256 ||
      napi_get_value_uint32(env, argv[3], &timeout_ms) != napi_ok || timeout_ms == 0 || timeout_ms > 600000) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  job_t *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, NULL, "sock_diag: out of memory");
    return NULL;
  }
  j->states = states;
  j->timeout_ms = timeout_ms;
  j->ns_path = string_arg(env, argv[0]);
  j->files = calloc(nfiles ? nfiles : 1, sizeof *j->files);
  bool ok = j->ns_path != NULL && j->files != NULL;
  for (uint32_t i = 0; ok && i < nfiles; i++) {
    napi_value item;
    ok = napi_get_element(env, argv[2], i, &item) == napi_ok && (j->files[i] = string_arg(env, item)) != NULL;
    if (ok) j->nfiles = i + 1;
  }
  if (!ok) {
    free_job_inputs(j);
    free(j);
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  return start_netns_thread(env, j);
}

// ---------------------------------------------------------------------------------------------------
// scanNetns

static void run_scan_netns(job_t *j) {
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
    char path[64], link[64];
    snprintf(path, sizeof path, "%.20s/ns/net", pe->d_name);
    ssize_t n = readlinkat(proc_fd, path, link, sizeof link - 1);
    size_t start = j->out.len;
    bool ok;
    if (n < 0 && (errno == EACCES || errno == EPERM)) {
      // Refused (another user's process, and no CAP_SYS_PTRACE): said as "-errno", so the picture can say
      // which processes' namespaces it could not see instead of leaving them out in silence.
      char code[16];
      snprintf(code, sizeof code, "-%d\n", errno);
      ok = append_process_head(&j->out, proc_fd, pe->d_name) && bytes_append(&j->out, code, strlen(code));
    } else {
      // "net:[4026531840]"; anything else (the process exited) is skipped
      if (n < 7 || memcmp(link, "net:[", 5) != 0 || link[n - 1] != ']') continue;
      link[n - 1] = '\0';
      ok = append_process_head(&j->out, proc_fd, pe->d_name) && bytes_append(&j->out, link + 5, strlen(link + 5)) &&
           bytes_append(&j->out, "\n", 1);
    }
    if (!ok) {
      j->out.len = start;
      job_fail(j, ENOMEM, "scanNetns: out of memory");
      break;
    }
  }
  closedir(proc);
  close(proc_fd);
}

static napi_value scan_netns(napi_env env, napi_callback_info info) {
  (void)info;
  job_t *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, NULL, "sock_diag: out of memory");
    return NULL;
  }
  j->run = run_scan_netns;
  return start_job(env, j, "portwatch:scanNetns");
}

// ---------------------------------------------------------------------------------------------------

static napi_value set_cloexec(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd = -1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "setCloexec(fd: number)");
    return NULL;
  }
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
    char message[96];
    snprintf(message, sizeof message, "setCloexec(%d): %s", fd, strerror(errno));
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------------

NAPI_MODULE_INIT() {
  const char *one_walk = getenv("PORTWATCH_SOCK_DIAG_ONE_WALK");
  two_dumps_only = one_walk != NULL && strcmp(one_walk, "0") == 0;
  napi_property_descriptor props[] = {
      {"dumpTcp", NULL, dump_tcp, NULL, NULL, NULL, napi_enumerable, NULL},
      {"scanSocketOwners", NULL, scan_socket_owners, NULL, NULL, NULL, napi_enumerable, NULL},
      {"readNetns", NULL, read_netns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"scanNetns", NULL, scan_netns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setCloexec", NULL, set_cloexec, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
