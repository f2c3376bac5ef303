/*
 * Peer of dev.iov.bench.rss.RssBench: DPDK's rte_softrss (and rte_softrss_be) from <rte_thash.h>, timed on the
 * same tuples as the Java benchmark (Microsoft's RSS verification flows, repeated to 32 IPv4 and 32 IPv6 tuples and
 * cycled by index: a batch of 32, like the switch's).
 *
 * rte_softrss is a header-only inline function: no EAL, no hugepages, no DPDK library is linked. Its contract
 * (rte_thash.h, "addresses and ports/sctp_tag have to be CPU byte order"): the tuple is an array of uint32_t words in
 * host byte order whose numeric values are the big-endian wire words -- word 0 = source address, word 1 = destination
 * address, word 2 = (sport << 16) | dport (struct rte_ipv4_tuple puts dport first in memory, so on a little-endian
 * CPU the word reads sport:dport); IPv6 addresses are converted with rte_thash_load_v6_addrs(). The key is passed
 * as-is (the 40 wire bytes); rte_softrss_be takes the key converted once by rte_convert_rss_key(). The Java side
 * passes the same numeric words (ToeplitzHash.hashIpv4(src, dst, sport, dport) with src = 0x420995bb for
 * 66.9.149.187), so both compute the NIC's hash; this program checks all 16 published hashes before timing.
 *
 * Output (one line, fixed format, parsed by dev.iov.bench.rss.RssComparison):
 *   rte_softrss ipv4_tcp_ns=N.NN ipv6_tcp_ns=N.NN rte_softrss_be_ipv4_tcp_ns=N.NN rte_softrss_be_ipv6_tcp_ns=N.NN
 * Exit status 1 when a hash differs from Microsoft's table.
 *
 * Usage: rss_softrss [iterations per measurement, default 10000000]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ip.h>
#include <rte_thash.h>

#define TUPLES 32 /* RssTuples.COUNT; a power of two, so the index is a mask */
#define ROUNDS 5 /* measurements per variant; the fastest is reported (least disturbed by the machine) */

/* Microsoft's default RSS key. Not const and not static: the compiler must load it, not fold it into the code. */
uint8_t rss_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};
uint8_t rss_key_be[40];

/* Microsoft's "Verifying the RSS Hash Calculation" table: source, destination (the table lists destination first). */
struct v4_vector {
	uint8_t src[4], dst[4];
	uint16_t sport, dport;
	uint32_t hash_l3, hash_l4;
};
struct v6_vector {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t hash_l3, hash_l4;
};

static const struct v4_vector v4_vectors[] = {
	{{66, 9, 149, 187}, {161, 142, 100, 80}, 2794, 1766, 0x323e8fc2, 0x51ccc178},
	{{199, 92, 111, 2}, {65, 69, 140, 83}, 14230, 4739, 0xd718262a, 0xc626b0ea},
	{{24, 19, 198, 95}, {12, 22, 207, 184}, 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
	{{38, 27, 205, 30}, {209, 142, 163, 6}, 48228, 2217, 0x82989176, 0xafc7327f},
	{{153, 39, 163, 191}, {202, 188, 127, 2}, 44251, 1303, 0x5d1809c5, 0x10e828a2},
};

static const struct v6_vector v6_vectors[] = {
	/* 3ffe:2501:200:1fff::7 -> 3ffe:2501:200:3::1 */
	{{0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07},
	 {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01},
	 2794, 1766, 0x2cc18cd5, 0x40207d3d},
	/* 3ffe:501:8::260:97ff:fe40:efab -> ff02::1 */
	{{0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab},
	 {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01},
	 14230, 4739, 0x0f0c461c, 0xdde51bbf},
	/* 3ffe:1900:4545:3:200:f8ff:fe21:67cf -> fe80::200:f8ff:fe21:67cf */
	{{0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
	 {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
	 44251, 38024, 0x4b61e985, 0x02d1feef},
};

#define N_V4 (sizeof(v4_vectors) / sizeof(v4_vectors[0]))
#define N_V6 (sizeof(v6_vectors) / sizeof(v6_vectors[0]))

/* The benchmark tuples: vector i % N_V4 (resp. N_V6), exactly as RssBench fills its arrays. */
union rte_thash_tuple v4_tuples[TUPLES];
union rte_thash_tuple v6_tuples[TUPLES];

volatile uint32_t sink;

/* rte_softrss reads a tuple as the array of uint32_t words it is made of. */
#define WORDS(tuple) ((uint32_t *)(tuple))

static uint32_t word(const uint8_t *wire)
{
	return (uint32_t)wire[0] << 24 | (uint32_t)wire[1] << 16 | (uint32_t)wire[2] << 8 | wire[3];
}

static void load_v4(union rte_thash_tuple *t, const struct v4_vector *v)
{
	memset(t, 0, sizeof(*t));
	t->v4.src_addr = word(v->src);
	t->v4.dst_addr = word(v->dst);
	t->v4.sport = v->sport;
	t->v4.dport = v->dport;
}

static void load_v6(union rte_thash_tuple *t, const struct v6_vector *v)
{
	struct rte_ipv6_hdr header;

	memset(t, 0, sizeof(*t));
	memset(&header, 0, sizeof(header));
	memcpy(header.src_addr, v->src, 16);
	memcpy(header.dst_addr, v->dst, 16);
	rte_thash_load_v6_addrs(&header, t);
	t->v6.sport = v->sport;
	t->v6.dport = v->dport;
}

static int check(const char *what, unsigned row, uint32_t got, uint32_t expected)
{
	if (got == expected)
		return 0;
	fprintf(stderr, "rss_softrss: %s vector %u: got 0x%08" PRIx32 ", Microsoft's table says 0x%08" PRIx32 "\n",
		what, row, got, expected);
	return 1;
}

static int verify(void)
{
	union rte_thash_tuple t;
	int failures = 0;
	unsigned i;

	for (i = 0; i < N_V4; i++) {
		load_v4(&t, &v4_vectors[i]);
		failures += check("ipv4", i, rte_softrss(WORDS(&t), RTE_THASH_V4_L3_LEN, rss_key), v4_vectors[i].hash_l3);
		failures += check("ipv4_tcp", i, rte_softrss(WORDS(&t), RTE_THASH_V4_L4_LEN, rss_key), v4_vectors[i].hash_l4);
		failures += check("ipv4_tcp_be", i, rte_softrss_be(WORDS(&t), RTE_THASH_V4_L4_LEN, rss_key_be),
				  v4_vectors[i].hash_l4);
	}
	for (i = 0; i < N_V6; i++) {
		load_v6(&t, &v6_vectors[i]);
		failures += check("ipv6", i, rte_softrss(WORDS(&t), RTE_THASH_V6_L3_LEN, rss_key), v6_vectors[i].hash_l3);
		failures += check("ipv6_tcp", i, rte_softrss(WORDS(&t), RTE_THASH_V6_L4_LEN, rss_key), v6_vectors[i].hash_l4);
		failures += check("ipv6_tcp_be", i, rte_softrss_be(WORDS(&t), RTE_THASH_V6_L4_LEN, rss_key_be),
				  v6_vectors[i].hash_l4);
	}
	return failures;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * One timed loop: hash tuple (i % TUPLES) for i = 0..iterations-1 and fold the results into a volatile sink, so the
 * work can be neither skipped nor hoisted out of the loop. noinline keeps each variant's loop separate and comparable.
 */
#define TIMED_LOOP(name, tuples, len, fn, key)                                                  \
	static __attribute__((noinline)) double name(uint64_t iterations)                       \
	{                                                                                        \
		uint32_t acc = 0;                                                                \
		double start = now_ns();                                                         \
		for (uint64_t i = 0; i < iterations; i++)                                        \
			acc ^= fn(WORDS(&tuples[i & (TUPLES - 1)]), len, key);                   \
		double elapsed = now_ns() - start;                                               \
		sink = acc;                                                                      \
		return elapsed / (double)iterations;                                             \
	}

TIMED_LOOP(time_v4, v4_tuples, RTE_THASH_V4_L4_LEN, rte_softrss, rss_key)
TIMED_LOOP(time_v6, v6_tuples, RTE_THASH_V6_L4_LEN, rte_softrss, rss_key)
TIMED_LOOP(time_v4_be, v4_tuples, RTE_THASH_V4_L4_LEN, rte_softrss_be, rss_key_be)
TIMED_LOOP(time_v6_be, v6_tuples, RTE_THASH_V6_L4_LEN, rte_softrss_be, rss_key_be)

/* The fastest of ROUNDS measurements after one warm-up run (page faults, frequency ramp-up, branch history). */
static double best(double (*timed)(uint64_t), uint64_t iterations)
{
	double min = timed(iterations / 10 + 1);

	for (int r = 0; r < ROUNDS; r++) {
		double ns = timed(iterations);
		if (r == 0 || ns < min)
			min = ns;
	}
	return min;
}

int main(int argc, char **argv)
{
	uint64_t iterations = 10000000;
	unsigned i;

	if (argc > 1) {
		char *end;
		iterations = strtoull(argv[1], &end, 10);
		if (*argv[1] == '\0' || *end != '\0' || iterations == 0) {
			fprintf(stderr, "rss_softrss: invalid iteration count '%s'\n", argv[1]);
			return 2;
		}
	}
	rte_convert_rss_key((const uint32_t *)rss_key, (uint32_t *)rss_key_be, sizeof(rss_key));
	if (verify() != 0)
		return 1;
	for (i = 0; i < TUPLES; i++) {
		load_v4(&v4_tuples[i], &v4_vectors[i % N_V4]);
		load_v6(&v6_tuples[i], &v6_vectors[i % N_V6]);
	}
	double v4 = best(time_v4, iterations);
	double v6 = best(time_v6, iterations);
	double v4_be = best(time_v4_be, iterations);
	double v6_be = best(time_v6_be, iterations);
	printf("rte_softrss ipv4_tcp_ns=%.2f ipv6_tcp_ns=%.2f rte_softrss_be_ipv4_tcp_ns=%.2f "
	       "rte_softrss_be_ipv6_tcp_ns=%.2f\n", v4, v6, v4_be, v6_be);
	return 0;
}
