#include "common/stderr.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace rrtr {

void reserve_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);  // the lowest free number: `fd`
    if (null >= 0 && null != fd) {
      ::dup3(null, fd, O_CLOEXEC);
      ::close(null);
    }
  }
}

}  // namespace rrtr
