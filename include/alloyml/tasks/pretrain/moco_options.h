#pragma once
// The keys of MoCo v2 (config section "moco") and of the k-NN probe of an embedding (section
// "probe"), JSON- and torch-free so that the torch unit of the task (moco.cpp) includes them.
#include <string>

#include "alloyml/core/option_keys.h"

namespace alloyml::tasks {

/// MoCo v2's own settings (config section "moco").
struct MocoOptions {
  /// Output width of the projection MLP (the keys in the queue). Default 128 (MoCo v2).
  int dim = 128;
  /// Hidden width of the projection MLP; 0: the backbone's embedding width (MoCo v2). Default 0.
  int hidden = 0;
  /// Negative keys kept from earlier batches. Default 4096 (a few hundred images' worth of
  /// batches on a CPU; the paper's 65536 needs ImageNet).
  int queue = 4096;
  /// Momentum of the key encoder (m in Eq. 2 of He et al.). Default 0.99: with a few thousand
  /// steps on a CPU, the paper's 0.999 barely moves the key encoder.
  double momentum = 0.99;
  /// Temperature of the InfoNCE loss (tau, Eq. 1). Default 0.2 (MoCo v2).
  double temperature = 0.2;
  /// Shuffling BN on one process: the query and the (shuffled) key batch each pass the encoders in
  /// this many groups with their own batch statistics, as on that many GPUs (He et al. Sec. 3.3;
  /// 1: off). Default 4.
  int bn_splits = 4;
};

template <class V>
void visit_keys(V& v, MocoOptions& o) {
  using options::key;
  v(o.dim, key("dim", "width of the projection (the contrasted keys)").range(8, 4096));
  v(o.hidden, key("hidden", "hidden width of the projection MLP; 0: the backbone's embedding width").range(0, 16384));
  v(o.queue, key("queue", "negative keys kept from earlier batches").range(16, 1 << 20));
  v(o.momentum, key("momentum", "momentum of the key encoder").range(0, 1));
  v(o.temperature, key("temperature", "temperature of the contrastive loss").range(1e-3, 10));
  v(o.bn_splits, key("bn_splits", "batch-norm groups of the query and shuffled key batch (shuffling BN); 1: off")
                     .range(1, 64));
}

/// The k-nearest-neighbour probe of the embedding (config section "probe"; Wu et al., CVPR 2018):
/// each labelled image is classified by the vote of its k nearest others (cosine similarity, each
/// vote weighted exp(s / temperature)), never by images of its own group.
struct ProbeOptions {
  /// A labelled folder or CSV manifest; empty: no probe. Default empty.
  std::string data;
  /// The manifest column whose images never vote for each other (a specimen), so the figure is one
  /// for specimens the embedding has not seen labelled. Empty: only the image itself. Default empty.
  std::string group_by;
  /// Probe after every this many epochs (and after the last). Default 5.
  int every = 5;
  /// Neighbours that vote. Default 20.
  int k = 20;
  /// Temperature of the votes' weights. Default 0.07 (Wu et al.).
  double temperature = 0.07;
};

template <class V>
void visit_keys(V& v, ProbeOptions& o) {
  using options::key;
  v(o.data, key("data", "labelled folder or CSV manifest for the k-NN probe of the embedding; null: none")
                .null_when_empty());
  v(o.group_by, key("group_by", "manifest column whose images never vote for each other (a specimen)").null_when_empty());
  v(o.every, key("every", "probe after every this many epochs (and after the last)").range(1, 100000));
  v(o.k, key("k", "neighbours that vote").range(1, 1000));
  v(o.temperature, key("temperature", "temperature of the neighbours' vote weights").range(1e-3, 10));
}

}  // namespace alloyml::tasks
