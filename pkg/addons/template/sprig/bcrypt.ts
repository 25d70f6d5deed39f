// bcrypt ($2a$, as golang.org/x/crypto/bcrypt's GenerateFromPassword writes it), for sprig's
// bcrypt and htpasswd. Blowfish's initial P-array and S-boxes are the hexadecimal digits of
// pi; they are computed once (Machin's formula) instead of being tabulated here.
import { randomBytes } from 'node:crypto';

let PI_WORDS: Uint32Array | undefined;

/** The first `words` 32-bit words of the fractional part of pi. */
function piWords(words: number): Uint32Array {
  const bits = BigInt(words * 32 + 64);
  const one = 1n << bits;
  const arctanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k - 1n) / 2n) % 2n === 0n ? term / k : -(term / k);
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
  const frac = pi % one; // drop the integer part (3)
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) out[i] = Number((frac >> (bits - BigInt((i + 1) * 32))) & 0xffffffffn);
  return out;
}

interface State {
  p: Uint32Array;
  s: Uint32Array[];
}

function initState(): State {
  PI_WORDS ??= piWords(18 + 4 * 256);
  return {
    p: PI_WORDS.slice(0, 18),
    s: [0, 1, 2, 3].map((i) => PI_WORDS!.slice(18 + i * 256, 18 + (i + 1) * 256)),
  };
}

function encryptBlock(st: State, l0: number, r0: number): [number, number] {
  const { p, s } = st;
  const [s0, s1, s2, s3] = s as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let l = l0 ^ p[0]!;
  let r = r0;
  for (let i = 1; i <= 16; i += 2) {
    r ^= ((((s0[l >>> 24]! + s1[(l >>> 16) & 0xff]!) | 0) ^ s2[(l >>> 8) & 0xff]!) + s3[l & 0xff]!) ^ p[i]!;
    l ^= ((((s0[r >>> 24]! + s1[(r >>> 16) & 0xff]!) | 0) ^ s2[(r >>> 8) & 0xff]!) + s3[r & 0xff]!) ^ p[i + 1]!;
  }
  return [(r ^ p[17]!) >>> 0, l >>> 0];
}

function streamWord(data: Buffer, pos: { i: number }): number {
  let w = 0;
  for (let k = 0; k < 4; k++) {
    w = ((w << 8) | data[pos.i]!) >>> 0;
    pos.i = (pos.i + 1) % data.length;
  }
  return w;
}

function expandKey(st: State, salt: Buffer | null, key: Buffer): void {
  const kp = { i: 0 };
  for (let i = 0; i < 18; i++) st.p[i] = (st.p[i]! ^ streamWord(key, kp)) >>> 0;
  const sp = { i: 0 };
  let l = 0;
  let r = 0;
  const next = (): void => {
    if (salt) {
      l ^= streamWord(salt, sp);
      r ^= streamWord(salt, sp);
    }
    [l, r] = encryptBlock(st, l, r);
  };
  for (let i = 0; i < 18; i += 2) {
    next();
    st.p[i] = l;
    st.p[i + 1] = r;
  }
  for (const box of st.s) {
    for (let i = 0; i < 256; i += 2) {
      next();
      box[i] = l;
      box[i + 1] = r;
    }
  }
}

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function b64(data: Buffer): string {
  let out = '';
  for (let i = 0; i < data.length; i += 3) {
    const c1 = data[i]!;
    out += ALPHABET[c1 >> 2];
    let c = (c1 & 3) << 4;
    if (i + 1 >= data.length) {
      out += ALPHABET[c];
      break;
    }
    const c2 = data[i + 1]!;
    out += ALPHABET[c | (c2 >> 4)];
    c = (c2 & 0x0f) << 2;
    if (i + 2 >= data.length) {
      out += ALPHABET[c];
      break;
    }
    const c3 = data[i + 2]!;
    out += ALPHABET[c | (c3 >> 6)] + ALPHABET[c3 & 0x3f];
  }
  return out;
}

function unb64(s: string): Buffer {
  const out: number[] = [];
  const v = [...s].map((c) => ALPHABET.indexOf(c));
  for (let i = 0; i < v.length; i += 4) {
    out.push(((v[i]! << 2) | (v[i + 1]! >> 4)) & 0xff);
    if (i + 2 < v.length) out.push(((v[i + 1]! << 4) | (v[i + 2]! >> 2)) & 0xff);
    if (i + 3 < v.length) out.push(((v[i + 2]! << 6) | v[i + 3]!) & 0xff);
  }
  return Buffer.from(out);
}

/** bcrypt hash with a given salt (22 characters of bcrypt's base64) and cost. */
export function bcryptWithSalt(password: string, salt22: string, cost = 10): string {
  const pw = Buffer.from(password, 'utf8');
  if (pw.length > 72) throw new Error('bcrypt: password length exceeds 72 bytes');
  const key = Buffer.concat([pw, Buffer.from([0])]);
  const salt = unb64(salt22).subarray(0, 16);
  const st = initState();
  expandKey(st, salt, key);
  for (let i = 0; i < 2 ** cost; i++) {
    expandKey(st, null, key);
    expandKey(st, null, salt);
  }
  const text = Buffer.from('OrpheanBeholderScryDoubt', 'ascii');
  const words = [0, 1, 2, 3, 4, 5].map((i) => text.readUInt32BE(i * 4));
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 6; j += 2) [words[j], words[j + 1]] = encryptBlock(st, words[j]!, words[j + 1]!);
  }
  const out = Buffer.alloc(24);
  words.forEach((w, i) => out.writeUInt32BE(w, i * 4));
  return `$2a$${String(cost).padStart(2, '0')}$${b64(salt).slice(0, 22)}${b64(out.subarray(0, 23))}`;
}

/** bcrypt.GenerateFromPassword(password, DefaultCost). */
export function bcryptHash(password: string): string {
  return bcryptWithSalt(password, b64(randomBytes(16)).slice(0, 22), 10);
}
