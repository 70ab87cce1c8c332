/*
 * og-image.c -- writes the site's Open Graph image, a 1200x630 PNG, to
 * stdout: a podium of bars on a dark ground.  A 2-bit palette image with
 * stored (uncompressed) deflate blocks keeps the writer small and needs
 * no compression library; the checksums are computed here.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define W 1200
#define H 630
#define ROW (1 + W / 4)		/* filter byte + 4 pixels a byte */

static unsigned char raw[ROW * H];
static uint32_t crc_table[256];

static void crc_init(void)
{
	uint32_t c, n, k;

	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc(uint32_t c, const unsigned char *p, size_t n)
{
	while (n--)
		c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
	return c;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void chunk(const char *type, const unsigned char *data, uint32_t n)
{
	unsigned char hdr[8], tail[4];
	uint32_t c;

	be32(hdr, n);
	memcpy(hdr + 4, type, 4);
	c = crc(0xFFFFFFFFu, hdr + 4, 4);
	c = crc(c, data, n) ^ 0xFFFFFFFFu;
	be32(tail, c);
	fwrite(hdr, 1, 8, stdout);
	fwrite(data, 1, n, stdout);
	fwrite(tail, 1, 4, stdout);
}

static void pixel(int x, int y, int colour)
{
	unsigned char *p = &raw[y * ROW + 1 + x / 4];
	int shift = 6 - 2 * (x % 4);

	*p = (unsigned char)((*p & ~(3 << shift)) | colour << shift);
}

static void rect(int x0, int y0, int x1, int y1, int colour)
{
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			pixel(x, y, colour);
}

static void draw(void)
{
	static const int heights[5] = { 200, 300, 400, 260, 150 };
	int i;

	for (i = 0; i < 5; i++) {
		int x = 250 + i * 150;

		rect(x, 500 - heights[i], x + 110, 500, i == 2 ? 2 : 1);
	}
	rect(180, 500, 1020, 510, 3);
	/* a star over the winner */
	rect(595, 50, 615, 90, 2);
	rect(585, 60, 625, 80, 2);
}

/* zlib stream of raw[] in stored blocks of at most 65535 bytes. */
static size_t deflate_stored(unsigned char *out)
{
	size_t n = sizeof(raw), off = 0, o = 0;
	uint32_t a = 1, b = 0;
	size_t i;

	out[o++] = 0x78;
	out[o++] = 0x01;
	while (off < n) {
		size_t len = n - off > 65535 ? 65535 : n - off;

		out[o++] = off + len == n;	/* BFINAL, BTYPE 00 */
		out[o++] = (unsigned char)len;
		out[o++] = (unsigned char)(len >> 8);
		out[o++] = (unsigned char)~len;
		out[o++] = (unsigned char)(~len >> 8);
		memcpy(out + o, raw + off, len);
		o += len;
		off += len;
	}
	for (i = 0; i < n; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	be32(out + o, b << 16 | a);
	return o + 4;
}

int main(void)
{
	static unsigned char z[sizeof(raw) + sizeof(raw) / 65535 * 5 + 64];
	static const unsigned char sig[8] = { 137, 'P', 'N', 'G', '\r', '\n', 26, '\n' };
	static const unsigned char plte[12] = {
		0x0f, 0x17, 0x2a,	/* ground */
		0x3b, 0x82, 0xf6,	/* bars */
		0xf5, 0x9e, 0x0b,	/* the winner */
		0xe2, 0xe8, 0xf0,	/* the floor */
	};
	unsigned char ihdr[13];
	size_t zn;

	crc_init();
	draw();
	be32(ihdr, W);
	be32(ihdr + 4, H);
	ihdr[8] = 2;	/* bit depth */
	ihdr[9] = 3;	/* palette */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	zn = deflate_stored(z);
	fwrite(sig, 1, 8, stdout);
	chunk("IHDR", ihdr, 13);
	chunk("PLTE", plte, 12);
	chunk("IDAT", z, (uint32_t)zn);
	chunk("IEND", ihdr, 0);
	return fflush(stdout) == 0 ? 0 : 1;
}
