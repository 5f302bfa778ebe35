#define BOOST_TEST_MODULE nnspec
#include <boost/test/unit_test.hpp>
