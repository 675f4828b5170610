using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>Where a (possibly nested-anonymous) member lives: absolute bit offset from the outer type.</summary>
public readonly struct BtfMemberLocation
{
    public BtfMemberLocation(BtfMember member, ulong bitOffset, IReadOnlyList<int> path)
    {
        Member = member;
        BitOffset = bitOffset;
        Path = path;
    }

    public BtfMember Member { get; }

    /// <summary>
    /// Member indices from the outer type down to the member, anonymous members included: the
    /// CO-RE access string is "0:" + string.Join(":", Path).
    /// </summary>
    public IReadOnlyList<int> Path { get; }

    /// <summary>Bit offset from the start of the outermost struct searched.</summary>
    public ulong BitOffset { get; }

    public ulong ByteOffset => BitOffset / 8;
}

// Size, alignment and member resolution. Every walk is bounded: BTF built in memory may hold
// reference cycles (the reader rejects them in input), and a cycle must be an error, never a hang.
public sealed partial class Btf
{
    /// <summary>Longest typedef/modifier/array chain followed (the kernel's MAX_RESOLVE_DEPTH is 32).</summary>
    public const int MaxResolveDepth = 32;

    /// <summary>Pointer size of the BPF target.</summary>
    public const uint PointerSize = 8;

    /// <summary>Skips TYPEDEF, CONST, VOLATILE, RESTRICT and TYPE_TAG to the underlying type.</summary>
    public BtfType ResolveModifiers(uint id) => ResolveModifiers(id, skipTypedefs: true);

    /// <summary>Skips CONST, VOLATILE, RESTRICT and TYPE_TAG (and TYPEDEFs when asked).</summary>
    public BtfType ResolveModifiers(uint id, bool skipTypedefs)
    {
        var t = GetChecked(id, null);
        for (int depth = 0; ; depth++)
        {
            bool skip = t.Kind switch
            {
                BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag => true,
                BtfKind.Typedef => skipTypedefs,
                _ => false,
            };
            if (!skip) return t;
            if (depth >= MaxResolveDepth) throw Cycle(t, "a typedef/modifier chain shorter than 32 (a cycle?)");
            t = GetChecked(((BtfReferenceType)t).TypeId, t);
        }
    }

    /// <summary>Size in bytes of a type (typedefs and modifiers resolved, arrays multiplied out).</summary>
    public ulong SizeOf(uint id) => SizeOf(id, 0);

    private ulong SizeOf(uint id, int depth)
    {
        var t = ResolveModifiers(id);
        switch (t)
        {
            case BtfInt i: return i.Size;
            case BtfFloat f: return f.Size;
            case BtfPtr: return PointerSize;
            case BtfComposite c: return c.Size;
            case BtfEnumBase e: return e.Size;
            case BtfDatasec d: return d.Size;
            case BtfVar v:
                if (depth >= MaxResolveDepth) throw Cycle(t, "a VAR type chain without a cycle");
                return SizeOf(v.TypeId, depth + 1);
            case BtfArray a:
                if (depth >= MaxResolveDepth) throw Cycle(t, "array nesting shallower than 32 (a cycle?)");
                ulong element = SizeOf(a.ElementTypeId, depth + 1);
                if (a.Length != 0 && element > ulong.MaxValue / a.Length)
                    throw new BpfFormatException("BTF", a.SourceOffset, $"an array size that fits 64 bits; at {a}");
                return element * a.Length;
            default:
                throw new InvalidOperationException($"{t} has no size");
        }
    }

    /// <summary>Natural alignment in bytes (1 for a packed struct), as libbpf's btf__align_of.</summary>
    public uint AlignOf(uint id) => AlignOf(id, 0);

    private uint AlignOf(uint id, int depth)
    {
        if (depth > MaxResolveDepth) throw Cycle(GetChecked(id, null), "struct/array nesting shallower than 32 (a cycle?)");
        var t = ResolveModifiers(id);
        switch (t)
        {
            case BtfInt i: return Math.Min(PointerSize, Math.Max(1, i.Size));
            case BtfFloat f: return Math.Min(PointerSize, Math.Max(1, f.Size));
            case BtfEnumBase e: return Math.Min(PointerSize, Math.Max(1, e.Size));
            case BtfPtr: return PointerSize;
            case BtfArray a: return AlignOf(a.ElementTypeId, depth + 1);
            case BtfVar v: return AlignOf(v.TypeId, depth + 1);
            case BtfComposite c:
            {
                uint max = 1;
                foreach (var m in c.Members)
                {
                    uint align = AlignOf(m.TypeId, depth + 1);
                    // A member off its natural alignment means the struct is packed.
                    if (!m.IsBitfield && m.BitOffset % (8 * align) != 0) return 1;
                    max = Math.Max(max, align);
                }
                return c.Size % max == 0 ? max : 1;
            }
            default:
                throw new InvalidOperationException($"{t} has no alignment");
        }
    }

    /// <summary>
    /// Finds member <paramref name="name"/> of a struct/union, looking inside anonymous struct
    /// and union members as C does, and returns its absolute bit offset.
    /// </summary>
    public bool TryFindMember(BtfComposite composite, string name, out BtfMemberLocation location)
    {
        var path = new List<int>();
        if (TryFindMember(composite, name, 0, 0, path, out var member, out ulong bits))
        {
            location = new BtfMemberLocation(member, bits, path);
            return true;
        }
        location = default;
        return false;
    }

    private bool TryFindMember(BtfComposite composite, string name, ulong baseBits, int depth, List<int> path,
        out BtfMember member, out ulong bits)
    {
        if (depth > MaxResolveDepth) throw Cycle(composite, "anonymous member nesting shallower than 32 (a cycle?)");
        var members = composite.Members;
        for (int i = 0; i < members.Count; i++)
        {
            if (members[i].Name != name) continue;
            path.Add(i);
            member = members[i];
            bits = baseBits + member.BitOffset;
            return true;
        }
        for (int i = 0; i < members.Count; i++)
        {
            var m = members[i];
            if (!m.IsAnonymous || ResolveModifiers(m.TypeId) is not BtfComposite inner) continue;
            path.Add(i);
            if (TryFindMember(inner, name, baseBits + m.BitOffset, depth + 1, path, out member, out bits)) return true;
            path.RemoveAt(path.Count - 1);
        }
        member = null!;
        bits = 0;
        return false;
    }

    private BtfType GetChecked(uint id, BtfType? from)
    {
        if (TryGetType(id, out var t)) return t;
        throw new BpfFormatException("BTF", from?.SourceOffset ?? -1,
            $"a type id in 0..{LastId}, found {id}" + (from is null ? "" : $" referenced by {from}"));
    }

    private static BpfFormatException Cycle(BtfType at, string expected) =>
        new("BTF", at.SourceOffset, $"{expected}; at {at}");
}
