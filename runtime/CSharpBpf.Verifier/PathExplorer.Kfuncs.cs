using System;

namespace CSharpBpf.Verifier;

/// <summary>
/// Kfunc calls (check_kfunc_call/check_kfunc_args) for the modelled prototypes: the kfunc must be registered for the
/// program type; scalar arguments must be scalars; struct pointer arguments must be non-NULL trusted kernel
/// pointers (PTR_TO_BTF_ID) whose struct is the expected one, or has it as first member at the pointed-to offset
/// (tcp_sock for struct sock); r1-r5 are clobbered and r0 is an unknown scalar, or unset for a void kfunc.
/// </summary>
internal sealed partial class PathExplorer
{
    private int DoKfuncCall()
    {
        string? name = null;
        _spec.KfuncNames?.TryGetValue(_insn, out name);
        var proto = name == null ? null : KfuncPrototypes.Find(name);
        if (proto != null) CheckKfuncArgs(proto);
        if (name == "bpf_rcu_read_lock")
        {
            if (_state.RcuLocked)
                Fail(VerifierErrorCodes.InvalidCall, "nested rcu read lock (kernel function bpf_rcu_read_lock): the region is already locked; call bpf_rcu_read_unlock first");
            _state.RcuLocked = true;
        }
        else if (name == "bpf_rcu_read_unlock")
        {
            if (!_state.RcuLocked)
                Fail(VerifierErrorCodes.InvalidCall, "unmatched rcu read unlock (kernel function bpf_rcu_read_unlock): call bpf_rcu_read_lock before it on every path");
            _state.RcuLocked = false;
        }
        ClobberCallerSaved();
        if (proto != null && proto.ReturnsVoid) Regs[0].Reset(RegType.NotInit);
        else Regs[0].BecomeUnknownScalar();
        return _insn + 1;
    }

    private void CheckKfuncArgs(KfuncPrototype proto)
    {
        if (proto.ProgramTypes != null && Array.IndexOf(proto.ProgramTypes, _spec.ProgramType) < 0)
            Fail(VerifierErrorCodes.InvalidCall,
                $"calling kernel function {proto.Name} is not allowed: the kernel offers it to {string.Join(", ", proto.ProgramTypes)} programs only");
        for (int i = 0; i < proto.Args.Length; i++)
        {
            int r = i + 1;
            var arg = proto.Args[i];
            var reg = Regs[r];
            if (arg.IsScalar)
            {
                if (reg.Type == RegType.NotInit) ReadReg(r);
                if (!reg.IsScalar)
                    Fail(VerifierErrorCodes.BadHelperArg, $"R{r} is not a scalar: {proto.Name} takes a number as arg#{i}, R{r} is {reg.TypeName}");
                continue;
            }
            if (reg.Type == RegType.NotInit) ReadReg(r);
            if (reg.IsScalar && reg.IsConst && reg.ConstValue == 0 || reg.MaybeNull)
                Fail(VerifierErrorCodes.NullPointer,
                    $"arg#{i} pointer type STRUCT {arg.StructName} must point to scalar, or struct with scalar: {proto.Name} needs a valid struct {arg.StructName} *, R{r} may be NULL");
            // The kernel's wording: anything but a kernel pointer is taken for plain memory, which a struct sock never is.
            if (reg.Type != RegType.PtrToBtfId)
                Fail(VerifierErrorCodes.BadHelperArg,
                    $"arg#{i} pointer type STRUCT {arg.StructName} must point to scalar, or struct with scalar: {proto.Name} needs the struct {arg.StructName} * the kernel passed (e.g. the callback's socket argument), R{r} is {reg.TypeName}");
            if (!reg.Var.IsConst || !IsStructAt(reg, arg.StructName!))
                Fail(VerifierErrorCodes.BadHelperArg,
                    $"kernel function {proto.Name} args#{i} expected pointer to STRUCT {arg.StructName} but R{r} has a pointer to STRUCT {reg.BtfName}" +
                    (reg.Off != 0 ? $" (off={reg.Off})" : "") + ": pass the socket pointer itself");
        }
    }

    /// <summary>Whether the struct the register points into has <paramref name="name"/> at the register's offset.</summary>
    private bool IsStructAt(RegState reg, string name)
    {
        long off = reg.Off + (long)reg.Var.Value;
        if (off == 0 && reg.BtfName == name) return true;
        if (_spec.Btf == null || reg.BtfId == 0) return false;
        return BtfTypes.NestedStructAt(_spec.Btf, reg.BtfId, off, name);
    }
}
