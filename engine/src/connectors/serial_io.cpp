#include "connectors/serial_io.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <unistd.h>

namespace flinkcpp {

serial_io::serial_io(spi::io_executor& io, std::function<void()> wake)
  : io_(io),
    wake_(std::move(wake)),
    state_(std::make_shared<state>()) {}

void serial_io::submit(std::function<void()> operation) {
  {
    std::lock_guard<std::mutex> guard{state_->mutex};
    state_->queue.push_back(std::move(operation));
    ++state_->pending;
    ++state_->submitted;
    if (state_->running)
      return;
    state_->running = true;
  }
  io_.execute([s = state_, wake = wake_] { drain(s, wake); });
}

void serial_io::drain(const std::shared_ptr<state>& s, const std::function<void()>& wake) {
  for (;;) {
    std::function<void()> operation;
    {
      std::lock_guard<std::mutex> guard{s->mutex};
      if (s->queue.empty()) {
        s->running = false;
        return;
      }
      operation = std::move(s->queue.front());
      s->queue.pop_front();
    }
    std::string error;
    try {
      operation();
    } catch (const std::exception& e) {
      error = e.what();
    }
    {
      std::lock_guard<std::mutex> guard{s->mutex};
      --s->pending;
      ++s->completed;
      if (!error.empty() && s->error.empty())
        s->error = std::move(error);
    }
    wake();
  }
}

std::size_t serial_io::pending() const {
  std::lock_guard<std::mutex> guard{state_->mutex};
  return state_->pending;
}

void serial_io::check() const {
  std::lock_guard<std::mutex> guard{state_->mutex};
  if (!state_->error.empty())
    throw std::runtime_error(state_->error);
}

std::function<bool()> serial_io::done_so_far() const {
  std::lock_guard<std::mutex> guard{state_->mutex};
  return [s = state_, ticket = state_->submitted] {
    std::lock_guard<std::mutex> locked{s->mutex};
    return s->completed >= ticket && s->error.empty();
  };
}

void write_fully(int fd, const std::string& data, const std::string& what) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw std::runtime_error("cannot write " + what + ": " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

} // namespace flinkcpp
