#include "graph/channel_layout.hpp"

#include <algorithm>

namespace flinkcpp {

std::vector<int> pointwise_consumers(int producers, int consumers, int producer) {
  std::vector<int> out;
  if (producers >= consumers) {
    // Each consumer takes a contiguous group of producers; find ours.
    for (int c = 0; c < consumers; ++c) {
      auto begin = c * producers / consumers;
      auto end = (c + 1) * producers / consumers;
      if (producer >= begin && producer < end)
        out.push_back(c);
    }
  } else {
    auto begin = (producer * consumers + producers - 1) / producers;
    auto end = ((producer + 1) * consumers + producers - 1) / producers;
    for (int c = begin; c < end; ++c)
      out.push_back(c);
  }
  return out;
}

std::vector<int> pointwise_producers(int producers, int consumers, int consumer) {
  std::vector<int> out;
  if (producers >= consumers) {
    for (int p = consumer * producers / consumers; p < (consumer + 1) * producers / consumers; ++p)
      out.push_back(p);
  } else {
    for (int p = 0; p < producers; ++p) {
      auto cs = pointwise_consumers(producers, consumers, p);
      if (std::find(cs.begin(), cs.end(), consumer) != cs.end())
        out.push_back(p);
    }
  }
  return out;
}

namespace {

std::uint32_t index_in(const std::vector<int>& list, int value) {
  return static_cast<std::uint32_t>(std::find(list.begin(), list.end(), value) - list.begin());
}

} // namespace

std::vector<channel_endpoint> consumers_of(const job_graph& graph, const job_edge& edge,
                                           int producer) {
  int p = graph.vertices()[static_cast<std::size_t>(edge.source_vertex)].parallelism;
  int q = graph.vertices()[static_cast<std::size_t>(edge.target_vertex)].parallelism;
  std::vector<channel_endpoint> out;
  if (spi::is_pointwise(edge.strategy)) {
    for (int c : pointwise_consumers(p, q, producer))
      out.push_back({c, index_in(pointwise_producers(p, q, c), producer)});
  } else {
    for (int c = 0; c < q; ++c)
      out.push_back({c, static_cast<std::uint32_t>(producer)});
  }
  return out;
}

std::vector<channel_endpoint> producers_of(const job_graph& graph, const job_edge& edge,
                                           int consumer) {
  int p = graph.vertices()[static_cast<std::size_t>(edge.source_vertex)].parallelism;
  int q = graph.vertices()[static_cast<std::size_t>(edge.target_vertex)].parallelism;
  std::vector<channel_endpoint> out;
  if (spi::is_pointwise(edge.strategy)) {
    for (int pr : pointwise_producers(p, q, consumer))
      out.push_back({pr, index_in(pointwise_consumers(p, q, pr), consumer)});
  } else {
    for (int pr = 0; pr < p; ++pr)
      out.push_back({pr, static_cast<std::uint32_t>(consumer)});
  }
  return out;
}

} // namespace flinkcpp
