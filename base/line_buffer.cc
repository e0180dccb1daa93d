#include "base/line_buffer.h"

#include <utility>

namespace sweep {

LineBuffer::LineBuffer(std::FILE* out, bool line_flush, double interval_s,
                       std::function<double()> now)
    : out_(out), line_flush_(line_flush), interval_s_(interval_s), now_(std::move(now)) {}

void LineBuffer::Add(std::string_view line) {
  pending_.append(line);
  pending_.push_back('\n');
  if (line_flush_ || !written_ || pending_.size() >= kMaxPending ||
      now_() - last_write_ >= interval_s_) {
    Flush();
  }
}

void LineBuffer::Flush() {
  if (pending_.empty()) return;
  std::fwrite(pending_.data(), 1, pending_.size(), out_);
  std::fflush(out_);
  pending_.clear();
  written_ = true;
  last_write_ = now_();
}

}  // namespace sweep
