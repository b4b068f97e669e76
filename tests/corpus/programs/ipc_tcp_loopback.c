// One process plays server and client over loopback: the kernel completes the
// handshake on its own, so no second thread is needed. Ephemeral ports vary.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  int lst = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lst, (struct sockaddr *)&addr, sizeof addr) || listen(lst, 1))
    return perror("bind/listen"), 1;
  socklen_t len = sizeof addr;
  getsockname(lst, (struct sockaddr *)&addr, &len);

  int cli = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  // EINPROGRESS or immediate success are both fine; poll settles which.
  connect(cli, (struct sockaddr *)&addr, sizeof addr);
  struct pollfd pfd = {.fd = cli, .events = POLLOUT};
  if (poll(&pfd, 1, 2000) != 1) return fprintf(stderr, "connect timed out\n"), 1;
  int err = 0;
  socklen_t elen = sizeof err;
  getsockopt(cli, SOL_SOCKET, SO_ERROR, &err, &elen);

  struct sockaddr_in peer;
  socklen_t plen = sizeof peer;
  int srv = accept(lst, (struct sockaddr *)&peer, &plen);
  if (srv < 0) return perror("accept"), 1;
  ssize_t w = write(cli, "hello", 5);
  char buf[8] = {0};
  ssize_t r = read(srv, buf, sizeof buf - 1);
  printf("listening on port %d, client port %d, so_error %d\n", ntohs(addr.sin_port),
         ntohs(peer.sin_port), err);
  printf("sent %zd received %zd \"%s\"\n", w, r, buf);
  close(srv);
  close(cli);
  close(lst);
  return 0;
}
