import ServeSim
print("servesim")
