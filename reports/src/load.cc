#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "rrtr/reports/error.h"
#include "rrtr/reports/json.h"

namespace rrtr::reports {
namespace {

std::string errno_text(int error) { return std::generic_category().message(error); }

// Closes the descriptor on every exit path, including a throw from parsing.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Report load_report(const std::filesystem::path& path) {
  const std::string origin = path.string();
  // POSIX calls rather than iostreams: iostreams lose errno, and "cannot read: Is a
  // directory" is more useful than "failed".
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw ReportError(origin, "", "cannot open: " + errno_text(errno));
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ReportError(origin, "", "cannot read: " + errno_text(errno));
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return parse_report(text, origin);
}

}  // namespace rrtr::reports
