// A UDP socket sends a datagram to its own ephemeral port. Ports are drawn
// from a range of ~28000, so a repeat is possible; the clock breaks it.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr)) return perror("bind"), 1;
  socklen_t len = sizeof addr;
  getsockname(s, (struct sockaddr *)&addr, &len);
  ssize_t w = sendto(s, "datagram", 8, 0, (struct sockaddr *)&addr, sizeof addr);
  char buf[16] = {0};
  struct sockaddr_in from;
  socklen_t flen = sizeof from;
  ssize_t r = recvfrom(s, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &flen);
  printf("port %d sent %zd received %zd \"%s\" from port %d\n", ntohs(addr.sin_port), w, r, buf,
         ntohs(from.sin_port));
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("at ns %ld\n", ts.tv_nsec);
  close(s);
  return 0;
}
