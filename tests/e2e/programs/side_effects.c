/* Touches the world in every way a replay must not: files in argv[1], a TCP
 * connection to itself on the loopback port argv[2], and kill() of pid argv[3].
 * Prints what it observed so the replay can be compared with the recording. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void put_file(const char* dir, const char* name, const char* text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
    perror(path);
    exit(2);
  }
  close(fd);
}

static int in_dir(int (*op)(const char*), const char* dir, const char* name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return op(path);
}

static void files(const char* dir) {
  put_file(dir, "created.txt", "written by side_effects\n");
  put_file(dir, "temp.txt", "short-lived\n");
  char from[4096], to[4096];
  snprintf(from, sizeof from, "%s/created.txt", dir);
  snprintf(to, sizeof to, "%s/renamed.txt", dir);
  printf("rename %d\n", rename(from, to));
  printf("unlink temp %d\n", in_dir(unlink, dir, "temp.txt"));
  /* victim.txt existed before the run: deleting it for real is the most visible effect */
  printf("unlink victim %d\n", in_dir(unlink, dir, "victim.txt"));
  put_file(dir, "victim-was-here.txt", "the victim is gone\n");
}

static void network(int port) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  printf("bind %d\n", bind(listener, (struct sockaddr*)&addr, sizeof addr));
  printf("listen %d\n", listen(listener, 1));
  int client = socket(AF_INET, SOCK_STREAM, 0);
  printf("connect %d\n", connect(client, (struct sockaddr*)&addr, sizeof addr));
  int server = accept(listener, NULL, NULL);
  printf("accept %s\n", server >= 0 ? "ok" : strerror(errno));
  printf("send %zd\n", send(client, "ping", 4, 0));
  char buf[8] = {0};
  printf("recv %zd %s\n", recv(server, buf, sizeof buf - 1, 0), buf);
  close(server);
  close(client);
  close(listener);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: side_effects DIR PORT PID\n");
    return 2;
  }
  files(argv[1]);
  network(atoi(argv[2]));
  int r = kill((pid_t)atol(argv[3]), SIGKILL);
  printf("kill %d %s\n", r, r ? strerror(errno) : "");
  fprintf(stderr, "side_effects done\n");
  return 7;
}
