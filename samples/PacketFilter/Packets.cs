using System;
using System.Collections.Generic;

namespace PacketFilter;

/// <summary>Hand-built test frames: what the filter must pass, drop, or count as unparsable.</summary>
public static class Packets
{
    public sealed record TestPacket(string Name, byte[] Bytes, uint ExpectedVerdict);

    public const uint XdpDrop = 1;
    public const uint XdpPass = 2;

    public static IReadOnlyList<TestPacket> All { get; } = new[]
    {
        new TestPacket("UDP to port 9 (blocked)", Udp(9), XdpDrop),
        new TestPacket("UDP to port 53", Udp(53), XdpPass),
        new TestPacket("UDP to port 9 behind IPv4 options", Udp(9, optionWords: 2), XdpDrop),
        new TestPacket("TCP to port 9", Ipv4(protocol: 6, payload: new byte[20]), XdpPass),
        new TestPacket("ARP frame", Ethernet(0x0806, new byte[28]), XdpPass),
        new TestPacket("truncated IPv4 header", Ethernet(0x0800, new byte[6]), XdpPass),
    };

    private static byte[] Udp(ushort destPort, int optionWords = 0)
    {
        var udp = new byte[8 + 4];
        udp[0] = 0x30; udp[1] = 0x39;                          // source port 12345
        udp[2] = (byte)(destPort >> 8); udp[3] = (byte)destPort;
        udp[5] = (byte)udp.Length;
        return Ipv4(17, udp, optionWords);
    }

    private static byte[] Ipv4(byte protocol, byte[] payload, int optionWords = 0)
    {
        int headerLength = 20 + optionWords * 4;
        var ip = new byte[headerLength + payload.Length];
        ip[0] = (byte)(0x40 | headerLength / 4);
        ip[2] = (byte)(ip.Length >> 8); ip[3] = (byte)ip.Length;
        ip[8] = 64;
        ip[9] = protocol;
        new byte[] { 127, 0, 0, 1, 127, 0, 0, 2 }.CopyTo(ip, 12);
        payload.CopyTo(ip, headerLength);
        return Ethernet(0x0800, ip);
    }

    private static byte[] Ethernet(ushort etherType, byte[] payload)
    {
        var frame = new byte[14 + payload.Length];
        for (int i = 0; i < 12; i++) frame[i] = (byte)(i < 6 ? 0xff : 0x02);
        frame[12] = (byte)(etherType >> 8); frame[13] = (byte)etherType;
        payload.CopyTo(frame, 14);
        return frame;
    }

    public static string VerdictName(uint v) => v switch { 0 => "ABORTED", 1 => "DROP", 2 => "PASS", 3 => "TX", 4 => "REDIRECT", _ => v.ToString() };
}
