#define BOOST_TEST_MODULE hash
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "grader/error.hpp"
#include "grader/hash/sha256.hpp"
#include "tests/temp_dir.hpp"

namespace hash = grader::hash;
using grader::Error;

BOOST_AUTO_TEST_SUITE(sha256)

BOOST_AUTO_TEST_CASE(known_digests) {
    BOOST_TEST(hash::sha256_hex("") ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(hash::sha256_hex("abc") ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(pieces_hash_as_the_whole) {
    hash::Sha256 h;
    h.update("ab");
    h.update("c");
    BOOST_TEST(h.hex() == hash::sha256_hex("abc"));
}

BOOST_AUTO_TEST_CASE(files_hash_as_their_bytes_and_a_missing_one_is_named) {
    const std::string path = (test_support::temp_dir() / "hash_test.bin").string();
    std::string big(200000, 'x');
    std::ofstream(path, std::ios::binary) << big;
    BOOST_TEST(hash::sha256_file(path) == hash::sha256_hex(big));
    try {
        hash::sha256_file("/nonexistent/file.so");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("cannot read /nonexistent/file.so") == 0u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
