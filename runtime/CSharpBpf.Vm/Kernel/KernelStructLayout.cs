using System;
using System.Collections.Generic;

namespace CSharpBpf.Vm.Kernel;

/// <summary>One field of a simulated kernel struct: byte offset and size, or a bitfield.</summary>
public sealed record KernelField(string Name, int Offset, int Size, int BitOffset = 0, int BitSize = 0)
{
    public bool IsBitfield => BitSize != 0;
}

/// <summary>
/// Where the fields of a simulated kernel object live, so programs compiled against the kernel's
/// layout (vmlinux.h, CO-RE resolved) read the same bytes the VM's kfuncs and tests read and write.
/// The built-in layouts carry the offsets of this project's reference kernel (Linux 6.18 BTF);
/// <see cref="Custom"/> builds one from any BTF struct.
/// </summary>
public sealed class KernelStructLayout
{
    private readonly Dictionary<string, KernelField> _fields = new(StringComparer.Ordinal);

    public KernelStructLayout(string name, int size, IEnumerable<KernelField> fields)
    {
        Name = name;
        Size = size;
        foreach (var f in fields)
        {
            if (f.Offset < 0 || f.Offset + f.Size > size) throw new ArgumentException($"{name}.{f.Name} lies outside the {size}-byte struct");
            _fields[f.Name] = f;
        }
    }

    public string Name { get; }
    public int Size { get; }

    public IReadOnlyCollection<KernelField> Fields => _fields.Values;

    public KernelField this[string field] => _fields.TryGetValue(field, out var f) ? f
        : throw new KeyNotFoundException($"the simulated {Name} has no field '{field}'");

    public bool Has(string field) => _fields.ContainsKey(field);

    public static KernelStructLayout Custom(string name, int size, IEnumerable<KernelField> fields) => new(name, size, fields);

    /// <summary>
    /// struct tcp_sock as this project's reference kernel lays it out (BTF of Linux 6.18): the
    /// embedded struct sock fields a congestion-control program or kfunc touches, and the Reno fields.
    /// </summary>
    public static KernelStructLayout TcpSock { get; } = new("tcp_sock", 2304, new[]
    {
        // struct sock_common / struct sock, at the start of every tcp_sock
        new KernelField("skc_daddr", 0, 4), new KernelField("skc_rcv_saddr", 4, 4),
        new KernelField("skc_dport", 12, 2), new KernelField("skc_num", 14, 2),
        new KernelField("skc_family", 16, 2), new KernelField("skc_state", 18, 1),
        new KernelField("skc_cookie", 88, 8),
        new KernelField("sk_priority", 520, 4), new KernelField("sk_mark", 524, 4),
        new KernelField("sk_protocol", 532, 2), new KernelField("sk_type", 534, 2),
        // struct tcp_sock
        new KernelField("mss_cache", 1440, 4),
        new KernelField("snd_cwnd", 1444, 4),
        new KernelField("is_cwnd_limited", 1463, 1, BitOffset: 3, BitSize: 1),
        new KernelField("snd_ssthresh", 1492, 4),
        new KernelField("srtt_us", 1680, 4),
        new KernelField("packets_out", 1684, 4),
        new KernelField("max_packets_out", 1772, 4),
        new KernelField("snd_cwnd_cnt", 1932, 4),
        new KernelField("snd_cwnd_clamp", 1936, 4),
        new KernelField("snd_cwnd_stamp", 1944, 4),
        new KernelField("prior_cwnd", 1948, 4),
        new KernelField("prior_ssthresh", 2168, 4),
    });
}

/// <summary>Builds a <see cref="KernelStructLayout"/> from BTF (the program's own, or a kernel's vmlinux BTF).</summary>
public static class BtfLayouts
{
    /// <summary>
    /// Flattens struct <paramref name="structName"/>: every leaf member (walking into embedded
    /// structs and unions, as C's member access does) by its own name, outer members first, so
    /// tcp_sock's "snd_cwnd" and sock_common's "skc_family" are both reachable.
    /// </summary>
    public static KernelStructLayout FromBtf(CSharpBpf.Object.Btf.Btf btf, string structName)
    {
        var root = btf.Find<CSharpBpf.Object.Btf.BtfStruct>(structName)
            ?? throw new KeyNotFoundException($"BTF has no struct '{structName}'");
        var fields = new Dictionary<string, KernelField>(StringComparer.Ordinal);
        var queue = new Queue<(CSharpBpf.Object.Btf.BtfComposite Type, ulong BaseBits, int Depth)>();
        queue.Enqueue((root, 0, 0));
        while (queue.Count > 0)
        {
            var (type, baseBits, depth) = queue.Dequeue();
            if (depth > CSharpBpf.Object.Btf.Btf.MaxResolveDepth) continue;
            foreach (var m in type.Members)
            {
                ulong bits = baseBits + m.BitOffset;
                var memberType = btf.ResolveModifiers(m.TypeId);
                if (memberType is CSharpBpf.Object.Btf.BtfComposite nested)
                {
                    // Small wrappers (atomic64_t, refcount_t…) are also fields under their own name.
                    if (!string.IsNullOrEmpty(m.Name) && bits % 8 == 0 && nested.Size is 1 or 2 or 4 or 8 && !fields.ContainsKey(m.Name))
                        fields[m.Name] = new KernelField(m.Name, (int)(bits / 8), (int)nested.Size);
                    queue.Enqueue((nested, bits, depth + 1));
                    continue;
                }
                if (string.IsNullOrEmpty(m.Name) || fields.ContainsKey(m.Name)) continue;
                if (m.IsBitfield)
                {
                    int byteOffset = (int)(bits / 8);
                    int bitInByte = (int)(bits % 8);
                    int size = (bitInByte + (int)m.BitfieldSize + 7) / 8;
                    if (size is 3) size = 4;
                    if (size <= 4) fields[m.Name] = new KernelField(m.Name, byteOffset, size, bitInByte, (int)m.BitfieldSize);
                    continue;
                }
                ulong bytes = btf.SizeOf(m.TypeId);
                if (bits % 8 != 0 || bytes is not (1 or 2 or 4 or 8)) continue; // arrays and odd sizes: not scalar fields
                fields[m.Name] = new KernelField(m.Name, (int)(bits / 8), (int)bytes);
            }
        }
        return new KernelStructLayout(structName, (int)root.Size, fields.Values);
    }
}
