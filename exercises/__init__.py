"""The student stubs, installed with mlgrade as `mlgrade.starter` so that `mlgrade init` can copy them."""
