// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reading the IDX files of MNIST and Fashion-MNIST, gzip-compressed or plain (zlib reads both),
/// into float images scaled to [0, 1] (one image per row) and byte labels. Every problem is a
/// `DatasetError` whose message names the file.

#include <Eigen/Core>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace fashion_mnist {

/// Row-major float matrix: one sample per row, as the trainer's batches.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Fashion-MNIST's classes, in label order.
inline constexpr std::string_view class_names[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
inline constexpr std::size_t num_classes = std::size(class_names);

/// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr const char* default_data_dir = "/usr/share/datasets/fashion-mnist";
inline constexpr const char* dataset_hint =
    "install it with `apt-get install dataset-fashion-mnist` or pass --data DIR";
/// What to do about a file that is there but damaged.
inline constexpr const char* damaged_hint =
    "reinstall it with `apt-get install --reinstall dataset-fashion-mnist` or pass --data DIR";

/// A missing, unreadable or malformed dataset file.
class DatasetError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// No limit on the number of samples read.
inline constexpr std::size_t all_samples = std::numeric_limits<std::size_t>::max();

/// Images and their labels.
struct Dataset {
  Matrix images;                    ///< one image per row, pixels in [0, 1]
  std::vector<std::uint8_t> labels; ///< the class of each row, < num_classes
  std::size_t height = 0;           ///< pixel rows of an image
  std::size_t width = 0;            ///< pixel columns of an image

  [[nodiscard]] std::size_t size() const noexcept { return labels.size(); }
  [[nodiscard]] std::size_t pixels() const noexcept { return height * width; }
};

namespace detail {

/// A file read through zlib: gzip data is inflated, anything else is read as it is.
class IdxFile {
public:
  explicit IdxFile(const std::filesystem::path& path) : name_(path.string()) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
      throw DatasetError("cannot open " + name_ + ": no such file; " + dataset_hint);
    }
    if (!std::filesystem::is_regular_file(status)) {
      throw DatasetError("cannot read " + name_ + ": not a regular file");
    }
    file_ = gzopen(name_.c_str(), "rb");
    if (file_ == nullptr) {
      throw DatasetError("cannot open " + name_ + ": " + std::generic_category().message(errno));
    }
    gzbuffer(file_, 1U << 17U);
  }
  IdxFile(const IdxFile&) = delete;
  IdxFile& operator=(const IdxFile&) = delete;
  ~IdxFile() { gzclose(file_); }

  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// Reads exactly `size` bytes of `what`, or throws (truncated file, corrupt gzip data).
  void read(void* out, std::size_t size, std::string_view what) {
    auto* bytes = static_cast<unsigned char*>(out);
    std::size_t done = 0;
    while (done < size) {
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1U << 30U));
      const int got = gzread(file_, bytes + done, chunk);
      if (got <= 0) {
        int code = Z_OK;
        const char* message = gzerror(file_, &code);
        if (got < 0 && code != Z_BUF_ERROR) {
          throw DatasetError(name_ + ": cannot read " + std::string(what) + ": " + message);
        }
        throw DatasetError(name_ + ": truncated: " + std::string(what) + " needs " +
                           std::to_string(size) + " bytes, the file has " + std::to_string(done));
      }
      done += static_cast<std::size_t>(got);
    }
  }

  /// The next big-endian 32-bit number.
  std::uint32_t read_u32(std::string_view what) {
    unsigned char b[4];
    read(b, sizeof b, what);
    return (std::uint32_t{b[0]} << 24U) | (std::uint32_t{b[1]} << 16U) |
           (std::uint32_t{b[2]} << 8U) | std::uint32_t{b[3]};
  }

  /// Throws when bytes follow the data the header announced, or when the gzip data fails its
  /// check at the end (zlib verifies the CRC-32 and length only there) or lacks it.
  void expect_end() {
    unsigned char extra[1];
    const int got = gzread(file_, extra, 1);
    if (got > 0) {
      throw DatasetError(name_ + ": has data after the last item the header announces");
    }
    // a gzip trailer cut short reads as the end of the file, with Z_BUF_ERROR set
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (got < 0 || code != Z_OK) {
      throw DatasetError(name_ + ": corrupt at its end: " + message);
    }
  }

private:
  std::string name_;
  gzFile file_ = nullptr;
};

inline std::string hex(std::uint32_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) {
    out += digits[(value >> static_cast<unsigned>(shift)) & 0xFU];
  }
  return out;
}

/// Reads the magic number and the item count; checks the magic.
inline std::size_t read_header(IdxFile& file, std::uint32_t magic, std::string_view kind) {
  const std::uint32_t found = file.read_u32("the magic number");
  if (found != magic) {
    throw DatasetError(file.name() + ": not an IDX " + std::string(kind) + " file: magic number " +
                       hex(found) + ", expected " + hex(magic));
  }
  const std::uint32_t count = file.read_u32("the item count");
  if (count == 0) {
    throw DatasetError(file.name() + ": holds no items");
  }
  return count;
}

} // namespace detail

/// The images of an IDX file.
struct IdxImages {
  Matrix pixels;          ///< one image per row, scaled to [0, 1]
  std::size_t height = 0; ///< pixel rows of an image
  std::size_t width = 0;  ///< pixel columns of an image
  std::size_t count = 0;  ///< images in the file (more than `pixels` holds when limited)
};

/// The labels of an IDX file.
struct IdxLabels {
  std::vector<std::uint8_t> labels;
  std::size_t count = 0; ///< labels in the file (more than `labels` holds when limited)
};

/// The images of an IDX image file (magic 0x00000803: unsigned bytes, 3 dimensions), scaled to
/// [0, 1]. `limit` reads only the first images (then bytes after them are not checked).
/// \throws DatasetError naming the file.
[[nodiscard]] inline IdxImages read_idx_images(const std::filesystem::path& path,
                                               std::size_t limit = all_samples) {
  detail::IdxFile file(path);
  const std::size_t count = detail::read_header(file, 0x00000803U, "image");
  const std::size_t height = file.read_u32("the number of rows");
  const std::size_t width = file.read_u32("the number of columns");
  if (height == 0 || width == 0 || height > 4096 || width > 4096) {
    throw DatasetError(file.name() + ": bad image size " + std::to_string(height) + "x" +
                       std::to_string(width) + " (each side must be 1 to 4096 pixels)");
  }
  const std::size_t pixels = height * width;
  const std::size_t n = std::min(count, limit);
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) / pixels) {
    throw DatasetError(file.name() + ": " + std::to_string(count) + " images of " +
                       std::to_string(height) + "x" + std::to_string(width) + " are too many");
  }
  IdxImages out;
  out.height = height;
  out.width = width;
  out.count = count;
  out.pixels.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(pixels));
  std::vector<unsigned char> bytes(pixels * std::min<std::size_t>(n, 1024));
  const std::size_t images_per_chunk = bytes.size() / pixels;
  for (std::size_t first = 0; first < n; first += images_per_chunk) {
    const std::size_t chunk = std::min(images_per_chunk, n - first);
    file.read(bytes.data(), chunk * pixels,
              "the pixels of " + std::to_string(count) + " images of " + std::to_string(height) +
                  "x" + std::to_string(width));
    const Eigen::Map<
        const Eigen::Matrix<unsigned char, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        raw(bytes.data(), static_cast<Eigen::Index>(chunk), static_cast<Eigen::Index>(pixels));
    out.pixels.middleRows(static_cast<Eigen::Index>(first), static_cast<Eigen::Index>(chunk)) =
        raw.cast<float>() * (1.0F / 255.0F);
  }
  if (n == count) {
    file.expect_end();
  }
  return out;
}

/// The labels of an IDX label file (magic 0x00000801: unsigned bytes, 1 dimension); each must
/// be below `classes`. `limit` reads only the first labels.
/// \throws DatasetError naming the file.
[[nodiscard]] inline IdxLabels read_idx_labels(const std::filesystem::path& path,
                                               std::size_t limit = all_samples,
                                               std::size_t classes = num_classes) {
  detail::IdxFile file(path);
  const std::size_t count = detail::read_header(file, 0x00000801U, "label");
  const std::size_t n = std::min(count, limit);
  IdxLabels out;
  out.count = count;
  out.labels.resize(n);
  file.read(out.labels.data(), n, "the labels of " + std::to_string(count) + " items");
  for (std::size_t i = 0; i < n; ++i) {
    if (out.labels[i] >= classes) {
      throw DatasetError(file.name() + ": label " + std::to_string(out.labels[i]) + " of item " +
                         std::to_string(i) + " is not a class (0 to " +
                         std::to_string(classes - 1) + ")");
    }
  }
  if (n == count) {
    file.expect_end();
  }
  return out;
}

/// The path of an IDX file in `dir`: `name.gz` if it exists, else `name`. Throws, with the
/// install hint, when the directory or both files are missing.
[[nodiscard]] inline std::filesystem::path find_idx_file(const std::filesystem::path& dir,
                                                         const std::string& name) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw DatasetError("dataset directory " + dir.string() + " does not exist; " + dataset_hint);
  }
  for (const auto& candidate : {dir / (name + ".gz"), dir / name}) {
    if (std::filesystem::exists(candidate, ec)) {
      return candidate;
    }
  }
  throw DatasetError("cannot open " + (dir / (name + ".gz")).string() + " (nor " + name +
                     " without .gz): no such file; " + dataset_hint);
}

/// One split of Fashion-MNIST (or MNIST) from `dir`: `prefix` is "train" or "t10k", the files
/// are `PREFIX-images-idx3-ubyte[.gz]` and `PREFIX-labels-idx1-ubyte[.gz]`. `limit` keeps the
/// first samples.
/// \throws DatasetError naming the file, with the install hint when it is missing and the
/// reinstall hint when it is damaged.
[[nodiscard]] inline Dataset load_split(const std::filesystem::path& dir, const std::string& prefix,
                                        std::size_t limit = all_samples) {
  const auto images_path = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  const auto labels_path = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
  IdxImages images;
  IdxLabels labels;
  try {
    images = read_idx_images(images_path, limit);
    labels = read_idx_labels(labels_path, limit);
    if (images.count != labels.count) {
      throw DatasetError(images_path.string() + " holds " + std::to_string(images.count) +
                         " images but " + labels_path.string() + " holds " +
                         std::to_string(labels.count) + " labels");
    }
  } catch (const DatasetError& e) {
    throw DatasetError(std::string(e.what()) + "; " + damaged_hint);
  }
  Dataset out;
  out.images = std::move(images.pixels);
  out.labels = std::move(labels.labels);
  out.height = images.height;
  out.width = images.width;
  return out;
}

} // namespace fashion_mnist
