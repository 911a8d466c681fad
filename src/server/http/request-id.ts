import { randomInt } from "node:crypto";

const XID_ALPHABET = "0123456789abcdefghijklmnopqrstuv";

/** heedy request ids are 20-character xids (contract 1.4); random ones of the same shape do. */
export function requestId(): string {
  let id = "";
  for (let i = 0; i < 20; i++) id += XID_ALPHABET[randomInt(32)];
  return id;
}
