/** The address ranges imageurl may never reach, IPv4 and IPv6. */
import { assert, describe, it } from "@effect/vitest"
import { ImageFetcher } from "../src/index.ts"

describe("ImageFetcher.isBlockedAddress", () => {
  it("blocks loopback, private, link-local, CGNAT, multicast, metadata and mapped forms", () => {
    for (const a of [
      "127.0.0.1",
      "127.8.9.10",
      "0.0.0.0",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "100.100.100.200",
      "224.0.0.1",
      "255.255.255.255",
      "198.18.0.1",
      "::1",
      "::",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "fe80::1",
      "fc00::1",
      "fd00:ec2::254",
      "ff02::1",
      "64:ff9b::a00:1",
      "2002:7f00:1::1"
    ])
      assert.isTrue(ImageFetcher.isBlockedAddress(a), a)
  })

  it("allows public addresses", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2400:3200::1"]) {
      assert.isFalse(ImageFetcher.isBlockedAddress(a), a)
    }
  })
})
