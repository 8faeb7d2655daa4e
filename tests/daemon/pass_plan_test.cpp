// How a pass splits the mail it found into chunks (daemon/poller.h): every
// mail once, in UID order, no chunk over the batch size, small chunks at
// both ends so the pipeline fills and empties quickly.
#include <gtest/gtest.h>

#include <numeric>

#include "daemon/poller.h"

using ticketd::daemon::plan_pass_chunks;
using V = std::vector<std::size_t>;

TEST(PassPlan, RampsUpAndDownAroundFullBatches) {
  // 6,500 between the ramps: four chunks of one size, not 2000 x 3 and a 500
  // whose store would wait for the move of the 2000 before it.
  EXPECT_EQ(plan_pass_chunks(10'000, 2000, 250),
            (V{250, 500, 1000, 1625, 1625, 1625, 1625, 1000, 500, 250}));
  EXPECT_EQ(plan_pass_chunks(9'500, 2000, 250),
            (V{250, 500, 1000, 2000, 2000, 2000, 1000, 500, 250}));
  EXPECT_EQ(plan_pass_chunks(9'502, 2000, 250),
            (V{250, 500, 1000, 1501, 1501, 1500, 1500, 1000, 500, 250}));
}

TEST(PassPlan, SmallPassesStayWhole) {
  EXPECT_EQ(plan_pass_chunks(0, 2000, 250), V{});
  EXPECT_EQ(plan_pass_chunks(1, 2000, 250), V{1});
  EXPECT_EQ(plan_pass_chunks(250, 2000, 250), V{250});
  EXPECT_EQ(plan_pass_chunks(300, 2000, 250), (V{250, 50}));
}

TEST(PassPlan, EveryMailOnceAndNoChunkOverTheBatch) {
  for (std::size_t batch : {1u, 7u, 250u, 2000u})
    for (std::size_t n : {0u, 1u, 249u, 251u, 1999u, 2001u, 4321u, 10'000u, 123'457u}) {
      const V plan = plan_pass_chunks(n, batch, 250);
      EXPECT_EQ(std::accumulate(plan.begin(), plan.end(), std::size_t{0}), n)
          << n << " mails, batch " << batch;
      for (std::size_t c : plan) {
        EXPECT_GT(c, 0u);
        EXPECT_LE(c, batch);
      }
      if (n > 250 && batch >= 250) {
        EXPECT_LE(plan.front(), 250u);
      }
    }
}

TEST(PassPlan, ZeroSettingsAreClamped) { EXPECT_EQ(plan_pass_chunks(3, 0, 0), (V{1, 1, 1})); }
