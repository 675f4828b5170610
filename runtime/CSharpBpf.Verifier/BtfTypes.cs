using System.Collections.Generic;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Verifier;

/// <summary>BTF look-ups the verifier needs: pointer members of kernel structs and struct_ops argument types.</summary>
internal static class BtfTypes
{
    /// <summary>The struct a pointer member at byte <paramref name="offset"/> of struct <paramref name="structId"/> points to.</summary>
    public static (uint Id, string Name, int Size)? PointerMemberAt(Btf btf, uint structId, int offset)
    {
        for (int depth = 0; depth < 16; depth++)
        {
            if (!(Resolve(btf, structId) is BtfComposite comp)) return null;
            BtfMember? hit = null;
            foreach (var m in comp.Members)
            {
                if (m.IsBitfield) continue;
                long start = m.ByteOffset;
                long size = SafeSize(btf, m.TypeId);
                if (offset >= start && offset < start + size) { hit = m; break; }
            }
            if (hit == null) return null;
            var t = Resolve(btf, hit.TypeId);
            if (t is BtfPtr ptr && offset == hit.ByteOffset) return StructOf(btf, ptr.TypeId);
            if (t is BtfComposite) { offset -= (int)hit.ByteOffset; structId = hit.TypeId; continue; }
            return null;
        }
        return null;
    }

    /// <summary>
    /// Whether struct <paramref name="name"/> starts at byte <paramref name="offset"/> of struct <paramref name="structId"/>,
    /// itself or as a nested member at any depth (btf_struct_ids_match's walk: tcp_sock starts with sock).
    /// </summary>
    public static bool NestedStructAt(Btf btf, uint structId, long offset, string name)
    {
        for (int depth = 0; depth < 16; depth++)
        {
            if (!(Resolve(btf, structId) is BtfComposite comp)) return false;
            if (offset == 0 && comp.Name == name) return true;
            BtfMember? hit = null;
            foreach (var m in comp.Members)
            {
                if (m.IsBitfield || !(Resolve(btf, m.TypeId) is BtfComposite)) continue;
                long size = SafeSize(btf, m.TypeId);
                if (offset >= m.ByteOffset && offset < m.ByteOffset + size) { hit = m; break; }
            }
            if (hit == null) return false;
            offset -= hit.ByteOffset;
            structId = hit.TypeId;
        }
        return false;
    }

    /// <summary>(id, name, size) of the struct a pointer's target type names, or null for non-structs.</summary>
    public static (uint Id, string Name, int Size)? StructOf(Btf btf, uint typeId)
    {
        var t = Resolve(btf, typeId);
        if (t is BtfComposite c) return (c.Id, c.Name, (int)c.Size);
        return null;
    }

    /// <summary>
    /// Arguments of the struct_ops member <paramref name="member"/> of <paramref name="opsType"/> (a function
    /// pointer member): pointers become PTR_TO_BTF_ID of their struct, everything else a scalar.
    /// </summary>
    public static IReadOnlyList<ContextArgument>? StructOpsArguments(Btf btf, string opsType, string member)
    {
        var ops = btf.Find<BtfStruct>(opsType);
        var m = ops?.FindMember(member);
        if (m == null) return null;
        if (!(Resolve(btf, m.TypeId) is BtfPtr p) || !(Resolve(btf, p.TypeId) is BtfFuncProto proto)) return null;
        var list = new List<ContextArgument>();
        foreach (var param in proto.Parameters)
        {
            var pt = Resolve(btf, param.TypeId);
            if (pt is BtfPtr pp)
            {
                var s = StructOf(btf, pp.TypeId);
                list.Add(new ContextArgument(param.Name, true, s?.Id ?? 0, s?.Name ?? "", s?.Size ?? 0));
            }
            else list.Add(new ContextArgument(param.Name, false));
        }
        return list;
    }

    /// <summary>The type behind modifiers and typedefs, or null for an id the BTF does not hold.</summary>
    internal static BtfType? Resolve(Btf btf, uint id)
    {
        try { return btf.ResolveModifiers(id, skipTypedefs: true); }
        catch (System.Exception) { return null; }
    }

    /// <summary>The type's size, or 0 when it has none (void, functions) or the id is bad.</summary>
    internal static long SafeSize(Btf btf, uint id)
    {
        try { return (long)btf.SizeOf(id); }
        catch (System.Exception) { return 0; }
    }
}
