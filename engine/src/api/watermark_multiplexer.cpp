#include "flinkcpp/detail/watermark_multiplexer.hpp"

#include <algorithm>

namespace flinkcpp::detail {

/// One split's output: its watermark and idleness, each change passed on.
class watermark_multiplexer::split_output final : public watermark_output {
public:
  explicit split_output(watermark_multiplexer& owner) : owner_(&owner) {}

  void emit_watermark(std::int64_t watermark) override {
    bool changed = idle_;
    idle_ = false;
    if (watermark > watermark_) {
      watermark_ = watermark;
      changed = true;
    }
    if (changed)
      owner_->update();
  }
  void mark_idle() override { set_idle(true); }
  void mark_active() override { set_idle(false); }

  std::int64_t watermark() const noexcept { return watermark_; }
  bool idle() const noexcept { return idle_; }

private:
  void set_idle(bool idle) {
    if (idle_ == idle)
      return;
    idle_ = idle;
    owner_->update();
  }

  watermark_multiplexer* owner_;
  std::int64_t watermark_ = min_watermark;
  bool idle_ = false;
};

watermark_multiplexer::watermark_multiplexer(watermark_output& combined) : combined_(combined) {}

watermark_multiplexer::~watermark_multiplexer() = default;

watermark_output& watermark_multiplexer::output(const std::string& id) {
  auto& slot = outputs_[id];
  if (!slot) {
    slot = std::make_unique<split_output>(*this);
    update();
  }
  return *slot;
}

void watermark_multiplexer::unregister(const std::string& id) {
  if (outputs_.erase(id) > 0)
    update();
}

void watermark_multiplexer::update() {
  bool all_idle = true;
  auto least = max_watermark;
  for (const auto& [id, out] : outputs_)
    if (!out->idle()) {
      all_idle = false;
      least = std::min(least, out->watermark());
    }
  if (outputs_.empty())
    all_idle = false; // no split yet: neither idle nor with a watermark
  if (all_idle != idle_) {
    idle_ = all_idle;
    if (idle_)
      combined_.mark_idle();
    else
      combined_.mark_active();
  }
  if (!all_idle && !outputs_.empty() && least > emitted_) {
    emitted_ = least;
    combined_.emit_watermark(least);
  }
}

} // namespace flinkcpp::detail
