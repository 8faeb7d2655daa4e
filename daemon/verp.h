// ticketd daemon: VERP — the envelope sender of every outgoing mail names its
// outbox row (support+bounce-<row>-<mac>@domain), so a delivery report,
// whatever its format, is tied to the exact mail. The MAC keeps strangers from
// marking our recipients as failing with forged reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::daemon {

// The bounce address of outbox row `row_id` for `support_address`.
std::string verp_address(std::string_view support_address, std::string_view secret,
                         std::int64_t row_id);

// The outbox row named by one of `plus_tokens` ("bounce-42-<mac>"), when its MAC holds.
std::optional<std::int64_t> verp_row(const std::vector<std::string>& plus_tokens,
                                     std::string_view secret);

}  // namespace ticketd::daemon
