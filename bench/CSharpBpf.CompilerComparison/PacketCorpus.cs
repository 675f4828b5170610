using System;
using System.Collections.Generic;

namespace CSharpBpf.CompilerComparison;

/// <summary>
/// Frames both twins of a program run on (BPF_PROG_TEST_RUN) to show they compute the same thing:
/// well-formed Ethernet/IPv4 frames over the protocols, ports, lengths and header lengths the
/// programs branch on (with correct and broken checksums), plus random bytes. Fixed seed.
/// </summary>
public static class PacketCorpus
{
    public static IReadOnlyList<byte[]> Frames { get; } = Build();

    private static List<byte[]> Build()
    {
        var rng = new Random(20261122);
        var frames = new List<byte[]>();
        byte[] protocols = { 1, 6, 17, 47, 50, 132, 99 };
        foreach (byte proto in protocols)
            foreach (int ihl in new[] { 4, 5, 6 })
                foreach (ushort port in new ushort[] { 9, 53, 4789 })
                    foreach (int udpLen in new[] { 8, 1472, 1473 })
                        foreach (bool goodChecksum in new[] { true, false })
                            frames.Add(Ipv4(rng, proto, ihl, port, udpLen, goodChecksum, payload: rng.Next(0, 80)));
        for (int i = 0; i < 64; i++)
        {
            // Half of them claim IPv4; those carry at least a header's worth of bytes, as skb test_run
            // refuses (EINVAL) an IPv4 frame shorter than an IPv4 header.
            bool ipv4 = i % 2 == 0;
            var f = new byte[rng.Next(ipv4 ? 34 : 14, 160)];
            rng.NextBytes(f);
            if (ipv4) { f[12] = 0x08; f[13] = 0x00; }
            frames.Add(f);
        }
        return frames;
    }

    private static byte[] Ipv4(Random rng, byte proto, int ihl, ushort dstPort, int udpLen, bool goodChecksum, int payload)
    {
        int ipLen = Math.Max(ihl, 5) * 4;
        var f = new byte[14 + ipLen + 8 + payload];
        rng.NextBytes(f);
        f[12] = 0x08; f[13] = 0x00;
        int ip = 14;
        f[ip] = (byte)(0x40 | ihl);
        f[ip + 9] = proto;
        f[ip + 10] = 0; f[ip + 11] = 0;
        ushort sum = HeaderChecksum(f, ip);
        if (!goodChecksum) sum ^= 0x5a5a;
        f[ip + 10] = (byte)(sum >> 8); f[ip + 11] = (byte)sum;
        int udp = ip + ipLen;
        f[udp + 2] = (byte)(dstPort >> 8); f[udp + 3] = (byte)dstPort;
        f[udp + 4] = (byte)(udpLen >> 8); f[udp + 5] = (byte)udpLen;
        return f;
    }

    /// <summary>Ones' complement of the ones' complement sum of the 20-byte header (the checksum field zero).</summary>
    private static ushort HeaderChecksum(byte[] f, int ip)
    {
        uint sum = 0;
        for (int i = 0; i < 20; i += 2) sum += (uint)(f[ip + i] << 8 | f[ip + i + 1]);
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
