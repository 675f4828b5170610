// Wire-format headers shared by the packet programs (the C twins use <linux/if_ether.h>, <linux/ip.h>
// and <linux/udp.h>, whose layouts these mirror). Multi-byte fields are in network byte order.
using System.Runtime.InteropServices;

namespace CSharpBpf.CompilerComparison.Programs;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct EthHdr
{
    public fixed byte Dest[6];
    public fixed byte Source[6];
    public ushort Proto;
}

[StructLayout(LayoutKind.Sequential)]
public struct IpHdr
{
    public byte VersionIhl;   // C: ihl:4 (low nibble on little-endian), version:4
    public byte Tos;
    public ushort TotLen;
    public ushort Id;
    public ushort FragOff;
    public byte Ttl;
    public byte Protocol;
    public ushort Check;
    public uint Saddr;
    public uint Daddr;
}

[StructLayout(LayoutKind.Sequential)]
public struct UdpHdr
{
    public ushort Source;
    public ushort Dest;
    public ushort Len;
    public ushort Check;
}

/// <summary>Constants in the byte order a little-endian host reads them from the wire (what bpf_htons folds to).</summary>
public static class Wire
{
    public const ushort EthPIpBe = 0x0008;   // htons(ETH_P_IP)
    public const byte IpProtoIcmp = 1;
    public const byte IpProtoTcp = 6;
    public const byte IpProtoUdp = 17;
    public const byte IpProtoGre = 47;
    public const byte IpProtoEsp = 50;
    public const byte IpProtoSctp = 132;
}
