// socketpair gives both ends in one process; the socket inodes are fresh per run.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return perror("socketpair"), 1;
  send(sv[0], "ping", 4, 0);
  char buf[8] = {0};
  ssize_t n = recv(sv[1], buf, sizeof buf - 1, 0);
  send(sv[1], "pong", 4, 0);
  char back[8] = {0};
  ssize_t m = recv(sv[0], back, sizeof back - 1, 0);
  struct stat s0, s1;
  fstat(sv[0], &s0);
  fstat(sv[1], &s1);
  printf("got %zd \"%s\" and %zd \"%s\"\n", n, buf, m, back);
  printf("inodes %llu %llu\n", (unsigned long long)s0.st_ino, (unsigned long long)s1.st_ino);
  close(sv[0]);
  close(sv[1]);
  return 0;
}
