using System.Collections.Generic;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Verifier;

/// <summary>
/// Which kernel-struct bytes a struct_ops program may store to (the ops' btf_struct_access callback). Without a
/// callback the kernel allows reads only. tcp_congestion_ops (net/ipv4/bpf_tcp_ca.c, Linux 6.18, checked against
/// the running kernel store by store) allows writes only
/// through a tcp_sock pointer, and only a store that starts at one of these members and ends inside it
/// (icsk_ca_priv: a store may start anywhere in it).
/// </summary>
internal sealed class StructOpsWriteRules
{
    private sealed record Window(string Member, long Start, long End, bool AnyStart);

    private static readonly (string Struct, string Path, bool AnyStart)[] TcpCongestionOps =
    {
        ("sock", "sk_pacing_rate", false),
        ("sock", "sk_pacing_status", false),
        ("inet_connection_sock", "icsk_ca_priv", true),
        ("inet_connection_sock", "icsk_ack.pending", false),
        ("tcp_sock", "snd_cwnd", false),
        ("tcp_sock", "snd_cwnd_cnt", false),
        ("tcp_sock", "snd_cwnd_stamp", false), // in 6.18 (absent from older kernels); the offset sweep test confirms it
        ("tcp_sock", "snd_ssthresh", false),
        ("tcp_sock", "ecn_flags", false),
        ("tcp_sock", "app_limited", false),
    };

    private readonly string _opsType;
    private readonly List<Window>? _windows;
    private readonly List<string> _missing = new();

    public StructOpsWriteRules(string opsType, Btf? btf)
    {
        _opsType = opsType;
        if (opsType != "tcp_congestion_ops") return;
        _windows = new List<Window>();
        var tcp = btf?.Find<BtfStruct>("tcp_sock");
        if (tcp == null) return;
        foreach (var (owner, path, anyStart) in TcpCongestionOps)
        {
            var at = StructOffset(btf!, tcp, owner, 0, 0);
            var member = at == null ? null : MemberAt(btf!, at.Value.Struct, path);
            if (member == null) { _missing.Add($"{owner}.{path}"); continue; }
            long start = at!.Value.Offset + member.Value.Offset;
            _windows.Add(new Window($"{owner}.{path}", start, start + member.Value.Size, anyStart));
        }
    }

    /// <summary>Null when the store is allowed, else the kernel's reason plus what to do.</summary>
    public string? CheckWrite(RegState reg, long off, int size)
    {
        string allowed = _windows == null ? "" : "; tcp_congestion_ops may write " + AllowedList();
        if (_windows == null || reg.BtfName != "tcp_sock")
            return $"only read is supported: {_opsType} programs may not write struct {reg.BtfName}" +
                   (_windows == null ? "" : " (writes go through the tcp_sock pointer)") + allowed;
        foreach (var w in _windows)
        {
            bool starts = w.AnyStart ? off >= w.Start && off < w.End : off == w.Start;
            if (!starts) continue;
            if (off + size > w.End)
                return $"write access at off {off} with size {size} beyond the member of tcp_sock ended at {w.End}: {w.Member} is {w.End - w.Start} bytes";
            return null;
        }
        return $"no write support to tcp_sock at off {off}: the kernel lets tcp_congestion_ops write only {AllowedList()}" +
               (_missing.Count > 0 ? $" (not in this program's BTF: {string.Join(", ", _missing)})" : "");
    }

    private string AllowedList()
    {
        var names = new List<string>();
        foreach (var (owner, path, _) in TcpCongestionOps) names.Add($"{owner}.{path}");
        return string.Join(", ", names);
    }

    /// <summary>Where struct <paramref name="name"/> sits inside <paramref name="s"/> (itself, or nested at any depth).</summary>
    private static (BtfComposite Struct, long Offset)? StructOffset(Btf btf, BtfComposite s, string name, long at, int depth)
    {
        if (s.Name == name) return (s, at);
        if (depth > 16) return null;
        foreach (var m in s.Members)
        {
            if (m.IsBitfield || !(BtfTypes.Resolve(btf, m.TypeId) is BtfComposite inner)) continue;
            var hit = StructOffset(btf, inner, name, at + m.ByteOffset, depth + 1);
            if (hit != null) return hit;
        }
        return null;
    }

    /// <summary>Offset and size of the member at a dotted path (anonymous members searched through, as offsetof does).</summary>
    private static (long Offset, long Size)? MemberAt(Btf btf, BtfComposite s, string path)
    {
        long offset = 0;
        BtfComposite current = s;
        var parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            var found = Direct(btf, current, parts[i], 0);
            if (found == null) return null;
            offset += found.Value.Offset;
            if (i == parts.Length - 1) return (offset, BtfTypes.SafeSize(btf, found.Value.Member.TypeId));
            if (!(BtfTypes.Resolve(btf, found.Value.Member.TypeId) is BtfComposite next)) return null;
            current = next;
        }
        return null;
    }

    private static (BtfMember Member, long Offset)? Direct(Btf btf, BtfComposite s, string name, int depth)
    {
        foreach (var m in s.Members)
        {
            if (m.Name == name && !m.IsBitfield) return (m, m.ByteOffset);
            if (m.Name.Length == 0 && depth < 8 && BtfTypes.Resolve(btf, m.TypeId) is BtfComposite anon)
            {
                var hit = Direct(btf, anon, name, depth + 1);
                if (hit != null) return (hit.Value.Member, m.ByteOffset + hit.Value.Offset);
            }
        }
        return null;
    }
}
