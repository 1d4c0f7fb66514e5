"""The LoRA cross-encoder shared by bench/pair-model/train.py (the MRPC pair
model) and bench/fact-judge/train.py: rank-r adapters on every attention and
feed-forward weight of a frozen MiniLM, its forward pass over a sentence
pair, the learning-rate schedule both fits use, and the export the Rust
`PairModel` loads (`NAME.lora_a`, `NAME.lora_b` pre-scaled, and a one-logit
head). Rows are tuples whose items 1 and 2 are the pair's two sentences.
"""
import torch


class LoRA(torch.nn.Module):
    """y = base(x) + scale * x A^T B^T; B starts at zero, so training starts at the base model."""

    def __init__(self, base, r, alpha):
        super().__init__()
        self.base = base
        self.A = torch.nn.Parameter(torch.randn(r, base.in_features) * 0.01)
        self.B = torch.nn.Parameter(torch.zeros(base.out_features, r))
        self.scale = alpha / r

    def forward(self, x):
        return self.base(x) + (x @ self.A.t() @ self.B.t()) * self.scale


# The BERT weight names the Rust side adds `scale * B @ A` to.
TARGETS = {
    "attention.self.query": lambda l: (l.attention.self, "query"),
    "attention.self.key": lambda l: (l.attention.self, "key"),
    "attention.self.value": lambda l: (l.attention.self, "value"),
    "attention.output.dense": lambda l: (l.attention.output, "dense"),
    "intermediate.dense": lambda l: (l.intermediate, "dense"),
    "output.dense": lambda l: (l.output, "dense"),
}


def add_adapters(enc, rank, alpha):
    """Freezes `enc` and wraps every target weight in a LoRA; returns them by weight name."""
    for p in enc.parameters():
        p.requires_grad = False
    adapters = {}
    for i, layer in enumerate(enc.encoder.layer):
        for name, where in TARGETS.items():
            owner, attr = where(layer)
            lora = LoRA(getattr(owner, attr), rank, alpha)
            setattr(owner, attr, lora)
            adapters[f"encoder.layer.{i}.{name}"] = lora
    return adapters


def export(adapters, head):
    """The tensors the Rust side loads; the head as one logit (class 1 minus class 0)."""
    tensors = {}
    for name, lora in adapters.items():
        tensors[f"{name}.lora_a"] = lora.A.detach().contiguous()
        tensors[f"{name}.lora_b"] = (lora.B.detach() * lora.scale).contiguous()
    tensors["head.weight"] = (head.weight[1] - head.weight[0]).detach().reshape(1, -1).contiguous()
    tensors["head.bias"] = (head.bias[1] - head.bias[0]).detach().reshape(1).contiguous()
    return tensors


def warmup_decay(opt, steps):
    """Linear warm-up over the first tenth of `steps`, then linear decay to zero."""
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )


def pair_logits(tok, enc, head, rows):
    """Mean-pooled (attention mask) last hidden state of each row's pair, then the head."""
    x = tok([r[1] for r in rows], [r[2] for r in rows], padding=True,
            truncation=True, max_length=256, return_tensors="pt")
    h = enc(**x).last_hidden_state
    m = x["attention_mask"].unsqueeze(-1).float()
    return head((h * m).sum(1) / m.sum(1))


def pair_margins(tok, enc, head, rows):
    """logit(class 1) - logit(class 0) of each row's pair, in eval mode: what the Rust side computes."""
    enc.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(rows), 64):
            z = pair_logits(tok, enc, head, rows[s:s + 64])
            out += (z[:, 1] - z[:, 0]).tolist()
    return out
