// Exception unwinding reads the eh_frame data of loaded objects; the thrown
// message carries a time so the output differs per run.
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

static void fail_with(const std::string &what) { throw std::runtime_error(what); }

int main() {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::string label = "thrown at " + std::to_string(ns);
  try {
    fail_with(label);
  } catch (const std::exception &e) {
    std::cout << "caught: " << e.what() << std::endl;
  }
  try {
    throw 42;
  } catch (int v) {
    std::cout << "caught int " << v << std::endl;
  }
  return 0;
}
