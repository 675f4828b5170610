using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Object.Core;

// Inside CSharpBpf.Object, "Btf" is the namespace; this alias names the model type.
using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>
/// Resolves BTF.ext CO-RE relocations against target BTF (a kernel's) the way libbpf's relo_core
/// does: candidates are target types with the same essential name (flavor suffix "___x" dropped)
/// and kind, the primary BTF first, then the fallbacks (modules); fields match by name (recursing
/// into anonymous members), arrays by index within bounds; all matching candidates must agree.
/// All 13 relocation kinds: field byte offset/size/exists/signed/lshift/rshift, type id
/// local/target, type exists/size/matches, enumerator exists/value.
/// </summary>
public static class CoreResolver
{
    /// <summary>Resolves against one target BTF (no fallbacks).</summary>
    public static CoreResult Resolve(Btf local, BtfCoreRelo relo, Btf target) => Resolve(local, relo, new CoreTargetBtf(target));

    /// <summary>Resolves one relocation of <paramref name="local"/> against <paramref name="kernel"/>.</summary>
    /// <exception cref="CoreResolutionException">candidates disagree, or the access string does not fit the local type.</exception>
    public static CoreResult Resolve(Btf local, BtfCoreRelo relo, CoreTargetBtf kernel)
    {
        if (!local.TryGetType(relo.TypeId, out var localType))
            throw new CoreResolutionException($"CO-RE {relo.Kind} at instruction byte {relo.InsnOffset} names type id {relo.TypeId}, which the object's BTF does not have");
        switch (relo.Kind)
        {
            case BpfCoreReloKind.TypeIdLocal:
                return new CoreResult(relo.TypeId, false, 0, $"local type id of {CoreSpec.Describe(local, relo.TypeId)}");
            case BpfCoreReloKind.TypeIdTarget:
            case BpfCoreReloKind.TypeExists:
            case BpfCoreReloKind.TypeSize:
            case BpfCoreReloKind.TypeMatches:
                return ResolveType(local, localType, relo, kernel);
            case BpfCoreReloKind.EnumvalExists:
            case BpfCoreReloKind.EnumvalValue:
                return ResolveEnum(local, localType, relo, kernel);
            default:
                return ResolveField(local, relo, kernel);
        }
    }

    private static IEnumerable<(Btf Btf, BtfType Type)> Candidates(BtfType localType, CoreTargetBtf kernel)
    {
        string name = CoreNames.Essential(localType.Name);
        var localKind = Kindish(localType.Kind);
        var found = EssentialNameIndex.Find(kernel.Primary, name).Where(t => Kindish(t.Kind) == localKind).Select(t => (kernel.Primary, t)).ToList();
        // libbpf: a match in vmlinux ends the search; module BTFs are consulted (and read) only when vmlinux has none.
        if (found.Count > 0) return found;
        foreach (var module in kernel.Fallbacks)
            found.AddRange(EssentialNameIndex.Find(module, name).Where(t => Kindish(t.Kind) == localKind).Select(t => (module, t)));
        return found;
    }

    private static BtfKind Kindish(BtfKind k) => k == BtfKind.Enum64 ? BtfKind.Enum : k;

    private static CoreResult ResolveType(Btf local, BtfType localType, BtfCoreRelo relo, CoreTargetBtf kernel)
    {
        string what = CoreSpec.Describe(local, relo.TypeId);
        var cands = Candidates(localType, kernel).Where(c => relo.Kind != BpfCoreReloKind.TypeMatches || CoreTypeMatch.Matches(local, localType.Id, c.Btf, c.Type.Id)).ToList();
        if (cands.Count == 0)
        {
            return relo.Kind is BpfCoreReloKind.TypeExists or BpfCoreReloKind.TypeMatches
                ? new CoreResult(0, false, 0, $"{what} does not exist in the kernel")
                : new CoreResult(0, true, 0, $"type {what} has no match in the kernel's BTF");
        }
        var values = cands.Select(c => relo.Kind switch
        {
            BpfCoreReloKind.TypeIdTarget => (ulong)c.Type.Id,
            BpfCoreReloKind.TypeSize => c.Btf.SizeOf(c.Type.Id),
            _ => 1UL,
        }).Distinct().ToList();
        if (values.Count > 1) throw new CoreResolutionException($"CO-RE: {what} matches {cands.Count} kernel types that disagree on {relo.Kind}");
        return new CoreResult(values[0], false, 0, $"{relo.Kind} of {what}");
    }

    private static CoreResult ResolveEnum(Btf local, BtfType localType, BtfCoreRelo relo, CoreTargetBtf kernel)
    {
        if (localType is not BtfEnumBase le) throw new CoreResolutionException($"CO-RE {relo.Kind} on {CoreSpec.Describe(local, relo.TypeId)}, which is not an enum");
        int idx = CoreSpec.ParseIndex(local, relo.TypeId, relo.AccessString, relo.AccessString);
        if (idx < 0 || idx >= le.Values.Count) throw new CoreResolutionException($"CO-RE enumerator #{idx} out of range in {CoreSpec.Describe(local, relo.TypeId)}");
        string valueName = le.Values[idx].Name;
        string what = $"{CoreSpec.Describe(local, relo.TypeId)}::{valueName}";
        var values = new List<ulong>();
        foreach (var (_, t) in Candidates(localType, kernel))
        {
            var v = ((BtfEnumBase)t).Values.FirstOrDefault(x => CoreNames.Essential(x.Name) == CoreNames.Essential(valueName));
            if (v is not null) values.Add(relo.Kind == BpfCoreReloKind.EnumvalExists ? 1UL : (ulong)v.Value);
        }
        values = values.Distinct().ToList();
        if (values.Count == 0)
            return relo.Kind == BpfCoreReloKind.EnumvalExists
                ? new CoreResult(0, false, 0, $"{what} does not exist in the kernel")
                : new CoreResult(0, true, 0, $"enumerator {what} has no match in the kernel's BTF");
        if (values.Count > 1) throw new CoreResolutionException($"CO-RE: {what} has different values in matching kernel enums");
        return new CoreResult(values[0], false, 0, $"{relo.Kind} of {what}");
    }

    private static CoreResult ResolveField(Btf local, BtfCoreRelo relo, CoreTargetBtf kernel)
    {
        var spec = CoreSpec.ParseField(local, relo.TypeId, relo.AccessString);
        var localRoot = local.GetType(relo.TypeId);
        var results = new List<CoreResult>();
        string? firstFailure = null;
        foreach (var (btf, cand) in Candidates(localRoot, kernel))
        {
            var r = MatchField(local, spec, btf, cand, relo.Kind, out string? failure);
            if (r is not null) results.Add(r);
            else firstFailure ??= failure;
        }
        if (results.Count == 0)
        {
            if (relo.Kind == BpfCoreReloKind.FieldExists) return new CoreResult(0, false, 0, $"{spec.Description} does not exist in the kernel");
            string why = firstFailure ?? $"the kernel has no type named '{CoreNames.Essential(localRoot.Name)}'";
            return new CoreResult(0, true, 0, $"field {spec.Description} cannot be matched: {why}");
        }
        var distinct = results.Select(r => r.Value).Distinct().ToList();
        if (distinct.Count > 1) throw new CoreResolutionException($"CO-RE: {spec.Description} resolves differently in {results.Count} matching kernel types ({relo.Kind})");
        return results[0];
    }

    private static CoreResult? MatchField(Btf local, CoreSpec spec, Btf target, BtfType root, BpfCoreReloKind kind, out string? failure)
    {
        failure = null;
        ulong bitOffset = (ulong)spec.RootIndex * target.SizeOf(root.Id) * 8;
        uint cur = root.Id;
        BtfMember? member = null;
        foreach (var step in spec.Steps)
        {
            var t = target.ResolveModifiers(cur);
            if (step.MemberName is not null)
            {
                if (t is not BtfComposite c) { failure = $"'{CoreSpec.Describe(target, cur)}' is not a struct/union where '{step.MemberName}' is accessed"; return null; }
                if (!target.TryFindMember(c, step.MemberName, out var loc)) { failure = $"{CoreSpec.Describe(target, c.Id)} has no member '{step.MemberName}'"; return null; }
                var localMember = ((BtfComposite)local.ResolveModifiers(step.LocalTypeId)).Members.First(m => m.Name == step.MemberName);
                if (!FieldsCompatible(local, localMember.TypeId, target, loc.Member.TypeId))
                {
                    failure = $"member '{step.MemberName}' of {CoreSpec.Describe(target, c.Id)} has an incompatible type";
                    return null;
                }
                bitOffset += loc.BitOffset;
                member = loc.Member;
                cur = loc.Member.TypeId;
            }
            else
            {
                if (t is not BtfArray a) { failure = $"'{CoreSpec.Describe(target, cur)}' is not an array"; return null; }
                bool flexible = a.Length <= 1;
                if (!flexible && step.ArrayIndex >= a.Length) { failure = $"index {step.ArrayIndex} is beyond the kernel array of {a.Length}"; return null; }
                bitOffset += (ulong)step.ArrayIndex * target.SizeOf(a.ElementTypeId) * 8;
                member = null;
                cur = a.ElementTypeId;
            }
        }
        return FieldValue(target, cur, member, bitOffset, kind, spec.Description, out failure);
    }

    private static CoreResult? FieldValue(Btf btf, uint typeId, BtfMember? member, ulong bitOffset, BpfCoreReloKind kind, string what, out string? failure)
    {
        failure = null;
        bool bitfield = member is not null && member.IsBitfield;
        uint bitSize = bitfield ? member!.BitfieldSize : 0;
        ulong byteSize = btf.SizeOf(typeId);
        ulong byteOff;
        if (bitfield)
        {
            // Smallest naturally aligned load of the field's type size (doubling) that covers the bits.
            byteOff = bitOffset / 8 / byteSize * byteSize;
            while (bitOffset + bitSize - byteOff * 8 > byteSize * 8)
            {
                if (byteSize >= 8) { failure = $"bitfield {what} spans more than 8 bytes"; return null; }
                byteSize *= 2;
                byteOff = bitOffset / 8 / byteSize * byteSize;
            }
        }
        else
        {
            if (bitOffset % 8 != 0) { failure = $"{what} is not byte aligned"; return null; }
            byteOff = bitOffset / 8;
            bitSize = (uint)(byteSize * 8);
        }
        ulong value = kind switch
        {
            BpfCoreReloKind.FieldByteOffset => byteOff,
            BpfCoreReloKind.FieldByteSize => byteSize,
            BpfCoreReloKind.FieldExists => 1,
            BpfCoreReloKind.FieldSigned => IsSigned(btf, typeId) ? 1UL : 0UL,
            BpfCoreReloKind.FieldLShiftU64 => 64 - (bitOffset + bitSize - byteOff * 8),
            BpfCoreReloKind.FieldRShiftU64 => 64UL - bitSize,
            _ => throw new CoreResolutionException($"CO-RE relocation kind {kind} is not a field relocation"),
        };
        return new CoreResult(value, false, bitfield ? 0 : (uint)byteSize, $"{kind} of {what}");
    }

    private static bool IsSigned(Btf btf, uint typeId) => btf.ResolveModifiers(typeId) switch
    {
        BtfInt i => i.IsSigned,
        BtfEnumBase e => e.IsSigned,
        _ => false,
    };

    // libbpf's field compatibility: same kind class after modifiers; ints/enums/pointers/floats match regardless of size;
    // composites and forwards match by (later) member names; arrays compare their element types.
    private static bool FieldsCompatible(Btf local, uint localId, Btf target, uint targetId)
    {
        for (int depth = 0; depth < 16; depth++)
        {
            var l = local.ResolveModifiers(localId);
            var t = target.ResolveModifiers(targetId);
            if (l is BtfComposite or BtfFwd) return t is BtfComposite or BtfFwd;
            if (l is BtfEnumBase || l is BtfInt) return t is BtfEnumBase || t is BtfInt;
            if (l is BtfPtr) return t is BtfPtr;
            if (l is BtfFloat) return t is BtfFloat;
            if (l is BtfArray la && t is BtfArray ta)
            {
                localId = la.ElementTypeId;
                targetId = ta.ElementTypeId;
                continue;
            }
            return l.Kind == t.Kind;
        }
        return false;
    }
}
