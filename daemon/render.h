// ticketd daemon: how ticketctl shows things — JSON for scripts (nlohmann)
// and plain tables for people. No business logic here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "parser/message.h"
#include "store/store.h"

namespace ticketd::daemon {

std::string iso_utc(std::int64_t epoch_seconds);
std::string ticket_tag(std::string_view number);

nlohmann::json message_json(const parser::Message& m);
nlohmann::json ticket_json(const store::TicketRow& t);
nlohmann::json ticket_detail_json(store::Store& s, const store::TicketRow& t);
nlohmann::json outbox_json(const store::OutboxRow& r);

// Serialises with invalid UTF-8 replaced, never throwing.
std::string dump(const nlohmann::json& j, int indent = -1);

// A table with aligned columns; cells are cut at `max_width` characters.
std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows, std::size_t max_width = 60);

}  // namespace ticketd::daemon
