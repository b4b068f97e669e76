/* Makes the calls the preload buffers, through libc, in one of several ways:
 *   mix          write, open, read, fstat, lseek, fsync, rename, truncate, access,
 *                unlink, getpid, clock_gettime, time, isatty (of a file, and of a pty,
 *                whose TCGETS writes); prints what they returned (a pid and times:
 *                different on every run)
 *   flood MiB    reads MiB of /dev/zero in 64 KiB reads: more than one log holds
 *   getppid N    makes N getppid() calls and prints their sum
 *   sigpipe      writes to a pipe without a reader: SIGPIPE's handler runs before the
 *                write returns, and says so
 *   sigpipe-dies the same with SIGPIPE's default action: nothing after the write runs
 *   exec         prints its pid and the time, then execs itself as `mix`
 *   spin         prints two lines, then loops in user code without a syscall
 *   alarm        blocks in read() on a pipe until SIGALRM's handler runs
 *   getcwd DIR   getcwd every way glibc serves it, in DIR, then in a directory below
 *                DIR deeper than a page, whose path the kernel cannot give (glibc then
 *                walks the tree); removes what it made */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int mix(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/rrtr-buffered-%d", (int)getpid());
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) return perror("open"), 1;
  const char text[] = "written through libc\n";
  if (write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) return perror("write"), 1;
  struct stat st;
  if (fstat(fd, &st) != 0) return perror("fstat"), 1;
  char back[64] = {0};
  lseek(fd, 0, SEEK_SET);
  ssize_t n = read(fd, back, sizeof back - 1);
  if (fsync(fd) != 0) return perror("fsync"), 1;
  errno = 0;
  const int file_tty = isatty(fd), file_errno = errno;
  const int pty = posix_openpt(O_RDWR | O_NOCTTY);
  printf("isatty: file %d errno %d, pty %s\n", file_tty, file_errno, pty < 0 ? "none" : isatty(pty) ? "1" : "0");
  if (pty >= 0) close(pty);
  close(fd);
  char moved[80];
  snprintf(moved, sizeof moved, "%s.moved", path);
  if (rename(path, moved) != 0 || truncate(moved, 7) != 0) return perror("rename/truncate"), 1;
  const int here = access(moved, R_OK), gone = access(path, F_OK);
  unlink(moved);
  time_t t_out = 0;
  const time_t t_ret = time(&t_out);
  printf("access %d %d, time %lld %d %d\n", here, gone, (long long)t_ret, t_out == t_ret, time(NULL) >= t_ret);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("pid %d size %lld read %zd: %s", (int)getpid(), (long long)st.st_size, n, back);
  printf("time %lld.%09ld, missing file: %d\n", (long long)ts.tv_sec, ts.tv_nsec, open("/nonexistent/x", O_RDONLY));
  return 0;
}

static int flood(long mib) {
  int fd = open("/dev/zero", O_RDONLY);
  static char buf[65536];
  unsigned long sum = 0;
  for (long i = 0; i < mib * 16; ++i) {
    if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) return 1;
    sum += (unsigned long)buf[i % sizeof buf] + (unsigned long)i;
  }
  close(fd);
  printf("read %ld MiB, sum %lu\n", mib, sum);
  return 0;
}

static void on_alarm(int sig) { (void)sig; }

static volatile sig_atomic_t pipe_signals;
static void on_pipe(int sig) {
  (void)sig;
  ++pipe_signals;
}

static int sigpipe(int handled) {
  int fds[2];
  if (pipe(fds) != 0) return 2;
  close(fds[0]);
  if (handled) signal(SIGPIPE, on_pipe);
  printf("writing\n");
  fflush(stdout);
  ssize_t n = write(fds[1], "x", 1);
  printf("write returned %zd after %d SIGPIPE\n", n, (int)pipe_signals);
  return 0;
}

enum { kDeepLevels = 20, kDeepNameLength = 250 };

static int cwd_ways(const char* dir) {
  if (chdir(dir) != 0) return perror("chdir"), 1;
  char buf[4097];
  printf("buffer: %s\n", getcwd(buf, sizeof buf) == buf ? buf : "(null)");
  char* allocated = getcwd(NULL, 0);
  printf("allocated: %s\n", allocated ? allocated : "(null)");
  free(allocated);
  allocated = getcwd(NULL, 300);
  printf("allocated 300: %s\n", allocated ? allocated : "(null)");
  free(allocated);
  char tiny[4];
  errno = 0;
  const char* answer = getcwd(tiny, sizeof tiny) ? "ok" : "null";
  printf("too small: %s errno %d\n", answer, errno);
  errno = 0;
  answer = getcwd(buf, 0) ? "ok" : "null";
  printf("size 0 with a buffer: %s errno %d\n", answer, errno);
  char name[kDeepNameLength + 1];
  memset(name, 'd', kDeepNameLength);
  name[kDeepNameLength] = '\0';
  for (int i = 0; i < kDeepLevels; ++i)
    if (mkdir(name, 0700) != 0 || chdir(name) != 0) return perror("mkdir/chdir"), 1;
  char* deep = getcwd(NULL, 0);
  if (!deep) return perror("getcwd below a page"), 1;
  const size_t length = strlen(deep);
  printf("deep: %zu bytes, starts with DIR %d\n", length, strncmp(deep, dir, strlen(dir)) == 0);
  free(deep);
  for (int i = 0; i < kDeepLevels; ++i)
    if (chdir("..") != 0 || rmdir(name) != 0) return perror("chdir/rmdir"), 1;
  return 0;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "mix";
  if (strcmp(mode, "flood") == 0) return flood(argc > 2 ? atol(argv[2]) : 4);
  if (strcmp(mode, "getppid") == 0) {
    long n = argc > 2 ? atol(argv[2]) : 1000, sum = 0;
    for (long i = 0; i < n; ++i) sum += getppid();
    printf("%ld calls, sum %ld\n", n, sum);
    return 0;
  }
  if (strcmp(mode, "exec") == 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("before exec: pid %d time %lld.%09ld\n", (int)getpid(), (long long)ts.tv_sec, ts.tv_nsec);
    fflush(stdout);
    char* again[] = {argv[0], "mix", NULL};
    execv(argv[0], again);
    return perror("execv"), 1;
  }
  if (strcmp(mode, "getcwd") == 0 && argc > 2) return cwd_ways(argv[2]);
  if (strcmp(mode, "sigpipe") == 0) return sigpipe(1);
  if (strcmp(mode, "sigpipe-dies") == 0) return sigpipe(0);
  if (strcmp(mode, "spin") == 0) {
    printf("pid %d\nspinning now\n", (int)getpid());
    fflush(stdout);
    for (volatile unsigned long i = 0;; ++i) {
    }
  }
  if (strcmp(mode, "alarm") == 0) {
    int fds[2];
    char c;
    if (pipe(fds) != 0) return 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    printf("read returned %zd\n", read(fds[0], &c, 1));
    return 0;
  }
  return mix();
}
